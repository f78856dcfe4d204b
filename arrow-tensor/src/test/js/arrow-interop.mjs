// Arrow JS side of ArrowJsInteropTest: a reader and a writer of tensor tables we did not write.
//
//   node arrow-interop.mjs read FILE    prints the file's tensor columns as JSON on stdout
//   node arrow-interop.mjs write FILE   writes the table the Java test expects (see below)
//
// Run from a directory whose node_modules holds apache-arrow (the test installs it under
// target/arrow-js and copies this script there). Arrow JS has no fixed_shape_tensor type of its
// own: it sees the storage type (FixedSizeList) and keeps the extension name and metadata as
// field metadata, which is exactly what the canonical encoding is.
import * as fs from 'node:fs';
import * as A from 'apache-arrow';

function read(file) {
  const table = A.tableFromIPC(fs.readFileSync(file));
  const columns = table.schema.fields.map((f) => {
    const col = table.getChild(f.name);
    const values = [];
    for (let i = 0; i < col.length; i++) {
      values.push(...Array.from(col.get(i).toArray()));
    }
    return {
      name: f.name,
      type: f.type.toString(),
      listSize: f.type.listSize,
      valueType: f.type.children[0].type.toString(),
      extensionName: f.metadata.get('ARROW:extension:name') ?? null,
      extensionMetadata: f.metadata.get('ARROW:extension:metadata') ?? null,
      values,
    };
  });
  process.stdout.write(JSON.stringify({ rows: table.numRows, columns }));
}

/** A fixed_shape_tensor column of n rows: physical values v(i) for i in [0, n*prod(shape)). */
function tensorColumn(name, arrowType, ArrayType, n, shape, extra, v) {
  const k = shape.reduce((a, b) => a * b, 1);
  const values = ArrayType.from({ length: n * k }, (_, i) => v(i));
  const type = new A.FixedSizeList(k, new A.Field('item', arrowType, false));
  const child = A.makeData({ type: arrowType, length: n * k, data: values });
  const data = A.makeData({ type, length: n, nullCount: 0, child });
  const meta = new Map([
    ['ARROW:extension:name', 'arrow.fixed_shape_tensor'],
    ['ARROW:extension:metadata', JSON.stringify({ shape, ...extra })],
  ]);
  return { field: new A.Field(name, type, false, meta), data };
}

// x: float32, 3 rows of shape [2,3] named H, W, values i*0.5 - 1
// z: float64, 3 rows of physical shape [3,2] with permutation [1,0] (logical [2,3]), values i/4 + 1/8
function write(file) {
  const n = 3;
  const x = tensorColumn('x', new A.Float32(), Float32Array, n, [2, 3], { dim_names: ['H', 'W'] },
    (i) => i * 0.5 - 1);
  const z = tensorColumn('z', new A.Float64(), Float64Array, n, [3, 2], { permutation: [1, 0] },
    (i) => i / 4 + 1 / 8);
  const schema = new A.Schema([x.field, z.field]);
  const struct = A.makeData({
    type: new A.Struct(schema.fields), length: n, nullCount: 0, children: [x.data, z.data],
  });
  const table = new A.Table([new A.RecordBatch(schema, struct)]);
  fs.writeFileSync(file, A.tableToIPC(table, 'file'));
}

const [cmd, file] = process.argv.slice(2);
if (cmd === 'read') {
  read(file);
} else if (cmd === 'write') {
  write(file);
} else {
  process.stderr.write('usage: node arrow-interop.mjs read|write FILE\n');
  process.exit(2);
}
