package io.sparkfunc.engine;

import static io.sparkfunc.engine.TensorsCreationTest.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.core.Primitive;
import io.sparkfunc.engine.random.Key;
import io.sparkfunc.engine.random.Random;
import io.sparkfunc.engine.storage.BufferStorage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MutationTest {
  private static final String OVERLAP =
      "more than one element of the written-to tensor refers to a single memory location";

  private static Tensor grid() {
    return Tensors.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 3, 4);
  }

  // ---- add_ and mul_ ----

  @Test
  void addAndMulMutateAndReturnTheDestination() {
    Tensor x = Tensors.of(new float[] {1, 2, 3});
    assertSame(x, x.add_(Tensors.of(new float[] {10, 20, 30})));
    assertArrayEquals(new float[] {11, 22, 33}, x.toFloatArray());
    assertSame(x, x.mul_(2));
    assertArrayEquals(new float[] {22, 44, 66}, x.toFloatArray());
    assertSame(x, x.add_(-2));
    assertArrayEquals(new float[] {20, 42, 64}, x.toFloatArray());
    Tensor l = Tensors.of(new long[] {1, 2});
    l.mul_(3).add_(Tensors.of(new boolean[] {true, false}));
    assertArrayEquals(new long[] {4, 6}, l.toLongArray());
  }

  @Test
  void matchesTheOutOfPlaceOpsOnRandomData() {
    Key[] keys = Key.of(1).split(3);
    Tensor a = Random.randn(keys[0], DType.F32, 37, 53);
    Tensor row = Random.randn(keys[1], DType.F32, 53);
    Tensor col = Random.randn(keys[2], DType.F64, 37, 1);
    Tensor x = a.copy();
    x.add_(row);
    assertArrayEquals(a.add(row).toFloatArray(), x.toFloatArray());
    x.mul_(col);
    assertArrayEquals(a.add(row).mul(col).to(DType.F32).toFloatArray(), x.toFloatArray());
  }

  @Test
  void viewsWriteIntoTheirBase() {
    Tensor x = grid();
    x.select(0, 1).add_(100);
    assertArrayEquals(new float[] {0, 1, 2, 3, 104, 105, 106, 107, 8, 9, 10, 11}, x.toFloatArray());
    Tensor y = grid();
    y.slice(1, 0, 4, 2).mul_(-1); // columns 0 and 2, inner stride 2
    assertArrayEquals(new float[] {-0f, 1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11}, y.toFloatArray());
    Tensor z = grid();
    z.mT().add_(Tensors.of(new float[] {1, 2, 3})); // [4,3] view, adds 1,2,3 to rows 0,1,2 of z
    assertArrayEquals(new float[] {1, 2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14}, z.toFloatArray());
  }

  @Test
  void sourceBroadcastsToTheDestination() {
    Tensor x = grid();
    x.add_(Tensors.of(new float[] {1, 2, 3}, 3, 1));
    assertArrayEquals(new float[] {1, 2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14}, x.toFloatArray());
    x.mul_(Tensors.scalar(0.5, DType.F64));
    assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2, 3, 3.5f, 4, 4.5f, 5.5f, 6, 6.5f, 7}, x.toFloatArray());
  }

  @Test
  void destinationNeverBroadcasts() {
    Tensor x = Tensors.of(new float[] {1, 2, 3});
    assertError(
        () -> x.add_(Tensors.zeros(DType.F32, 2, 3)), "add_", "self: f32[3]", "f32[2,3]",
        "output with shape [3] doesn't match the broadcast shape [2,3]");
    assertError(
        () -> Tensors.zeros(DType.F64, 3, 1).mul_(x), "mul_", "f64[3,1]", "f32[3]",
        "output with shape [3,1] doesn't match the broadcast shape [3,3]");
    assertError(() -> x.add_(Tensors.zeros(DType.F32, 4)), "add_", "f32[3]", "f32[4]");
    assertArrayEquals(new float[] {1, 2, 3}, x.toFloatArray(), "unchanged after an error");
  }

  @Test
  void resultTypeMustCastToTheDestination() {
    Tensor l = Tensors.of(new long[] {1, 2});
    assertError(
        () -> l.add_(Tensors.of(new float[] {1, 2})), "add_", "i64[2]", "f32[2]",
        "result type f32 can't be cast to the desired output type i64");
    assertError(() -> l.mul_(1.5), "mul_", "i64[2]", "result type f32");
    l.mul_(2.0); // an integral double is an i64 scalar
    assertArrayEquals(new long[] {2, 4}, l.toLongArray());
    Tensor b = Tensors.of(new boolean[] {true, false});
    assertError(() -> b.add_(1), "add_", "bool[2]", "result type i64 can't be cast to the desired output type bool");
    Tensor f = Tensors.of(new float[] {1, 2});
    f.add_(Tensors.of(new double[] {0.25, 0.5})).add_(Tensors.of(new long[] {1, 1}));
    assertArrayEquals(new float[] {2.25f, 3.5f}, f.toFloatArray());
  }

  @Test
  void expandedDestinationIsRejected() {
    Tensor e = Tensors.of(new float[] {1, 2, 3}).expand(4, 3);
    assertError(() -> e.add_(1), "add_", "f32[4,3]", OVERLAP, "clone()");
    assertError(() -> e.mul_(e), "mul_", "f32[4,3]", OVERLAP);
    assertError(() -> e.copy_(Tensors.zeros(DType.F32, 4, 3)), "copy_", "f32[4,3]", OVERLAP);
    Tensor ok = Tensors.of(new float[] {1, 2, 3}).expand(1, 3); // stride 0 on an extent-1 axis
    ok.add_(1);
    assertArrayEquals(new float[] {2, 3, 4}, ok.toFloatArray());
  }

  @Test
  void aliasedSourcesReadAsIfCloned() {
    Tensor x = Tensors.of(new float[] {1, 2, 3});
    x.add_(x);
    assertArrayEquals(new float[] {2, 4, 6}, x.toFloatArray());
    Tensor m = Tensors.of(new float[] {1, 2, 3, 4}, 2, 2);
    m.add_(m.mT());
    assertArrayEquals(new float[] {2, 5, 5, 8}, m.toFloatArray());
    Tensor g = grid();
    g.add_(g.select(0, 0)); // row 0 is read before it is written
    assertArrayEquals(new float[] {0, 2, 4, 6, 4, 6, 8, 10, 8, 10, 12, 14}, g.toFloatArray());
    Tensor s = Tensors.arange(0, 6, 1, DType.F32);
    s.slice(0, 1, 6, 1).copy_(s.slice(0, 0, 5, 1));
    assertArrayEquals(new float[] {0, 0, 1, 2, 3, 4}, s.toFloatArray());
  }

  @Test
  void offHeapDestinationIsWritten() {
    ByteBuffer buf = ByteBuffer.allocateDirect(16).order(ByteOrder.LITTLE_ENDIAN);
    Tensor x = DenseTensor.contiguous(BufferStorage.wrap(buf, DType.F32, 4), 2, 2);
    x.copy_(Tensors.of(new float[] {1, 2})).add_(Tensors.of(new float[] {10, 20}, 2, 1)).mul_(2);
    assertArrayEquals(new float[] {22, 24, 42, 44}, x.toFloatArray());
    assertEquals(44f, buf.getFloat(12));
  }

  // ---- copy_ ----

  @Test
  void copyConvertsAnyDtypeAndBroadcasts() {
    Tensor l = Tensors.zeros(DType.I64, 2, 3);
    assertSame(l, l.copy_(Tensors.of(new double[] {-1.7, 0.2, 2.9})));
    assertArrayEquals(new long[] {-1, 0, 2, -1, 0, 2}, l.toLongArray());
    Tensor b = Tensors.zeros(DType.BOOL, 3);
    b.copy_(Tensors.of(new float[] {0, Float.NaN, -2}));
    assertArrayEquals(new boolean[] {false, true, true}, b.toBooleanArray());
    Tensor f = grid();
    f.mT().copy_(Tensors.of(new double[] {7, 8, 9}));
    assertArrayEquals(new float[] {7, 7, 7, 7, 8, 8, 8, 8, 9, 9, 9, 9}, f.toFloatArray());
    assertError(
        () -> Tensors.zeros(DType.F32, 3).copy_(Tensors.zeros(DType.F64, 2, 3)), "copy_",
        "f32[3]", "f64[2,3]", "doesn't match the broadcast shape [2,3]");
  }

  // ---- index_put_ ----

  @Test
  void indexPutOverwritesRows() {
    Tensor x = Tensors.zeros(DType.F32, 4, 2);
    Tensor idx = Tensors.of(new long[] {0, 2});
    assertSame(x, x.indexPut_(idx, Tensors.of(new float[] {1, 2, 3, 4}, 2, 2), false));
    assertArrayEquals(new float[] {1, 2, 0, 0, 3, 4, 0, 0}, x.toFloatArray());
    x.indexPut_(Tensors.of(new long[] {-1, 1}), Tensors.of(new float[] {5, 6}), false);
    assertArrayEquals(new float[] {1, 2, 5, 6, 3, 4, 5, 6}, x.toFloatArray());
    x.indexPut_(idx, Tensors.scalar(9, DType.F32), false);
    assertArrayEquals(new float[] {9, 9, 5, 6, 9, 9, 5, 6}, x.toFloatArray());
  }

  @Test
  void indexPutDuplicatesSumWithAccumulateElseLastWins() {
    Tensor idx = Tensors.of(new long[] {1, 3, 1, 1});
    Tensor vals = Tensors.of(new double[] {1, 2, 3, 4});
    Tensor acc = Tensors.ones(DType.F64, 5);
    acc.indexPut_(idx, vals, true);
    assertArrayEquals(new double[] {1, 9, 1, 3, 1}, acc.toDoubleArray());
    Tensor last = Tensors.ones(DType.F64, 5);
    last.indexPut_(idx, vals, false);
    assertArrayEquals(new double[] {1, 4, 1, 2, 1}, last.toDoubleArray());
    Tensor counts = Tensors.zeros(DType.I64, 3, 2);
    counts.indexPut_(Tensors.of(new long[] {2, 0, 2}), Tensors.of(new long[] {1, 10}), true);
    assertArrayEquals(new long[] {1, 10, 0, 0, 2, 20}, counts.toLongArray());
  }

  @Test
  void indexPutOnVectorsViewsAndMasks() {
    Tensor base = Tensors.zeros(DType.F32, 6);
    Tensor evens = base.slice(0, 0, 6, 2);
    evens.indexPut_(Tensors.of(new long[] {2, 0, 2}), Tensors.scalar(1.5, DType.F32), true);
    assertArrayEquals(new float[] {1.5f, 0, 0, 0, 3, 0}, base.toFloatArray());
    Tensor mask = Tensors.of(new boolean[] {false, false, true});
    mask.indexPut_(Tensors.of(new long[] {0, 0}), Tensors.of(new boolean[] {true, true}), true);
    assertArrayEquals(new boolean[] {true, false, true}, mask.toBooleanArray(), "accumulate is or");
    Tensor rows = Tensors.zeros(DType.BOOL, 2, 2);
    rows.indexPut_(Tensors.of(new long[] {1, 1}), Tensors.of(new boolean[] {true, false}), true);
    assertArrayEquals(new boolean[] {false, false, true, false}, rows.toBooleanArray());
  }

  @Test
  void indexPutWritesThroughViewsAndReadsAliasedValuesFirst() {
    Tensor g = grid();
    g.mT().indexPut_(Tensors.of(new long[] {3}), Tensors.of(new float[] {-1, -2, -3}), true);
    assertArrayEquals(new float[] {0, 1, 2, 2, 4, 5, 6, 5, 8, 9, 10, 8}, g.toFloatArray());
    Tensor swap = grid();
    swap.indexPut_(Tensors.of(new long[] {1, 0}), swap.slice(0, 0, 2, 1), false);
    assertArrayEquals(new float[] {4, 5, 6, 7, 0, 1, 2, 3, 8, 9, 10, 11}, swap.toFloatArray());
  }

  @Test
  void indexPutErrors() {
    Tensor x = Tensors.zeros(DType.F32, 3, 2);
    Tensor two = Tensors.ones(DType.F32, 2, 2);
    assertError(
        () -> x.indexPut_(Tensors.of(new long[] {0, 5}), two, false), "index_put_", "f32[3,2]",
        "index 5 is out of bounds for dimension 0 with size 3");
    assertArrayEquals(new float[6], x.toFloatArray(), "no row written when an index is bad");
    assertError(
        () -> x.indexPut_(Tensors.of(new long[] {-4}), Tensors.ones(DType.F32, 2), false),
        "index_put_", "index -4 is out of bounds");
    assertError(
        () -> x.indexPut_(Tensors.of(new long[] {0, 1}), Tensors.ones(DType.F64, 2, 2), false),
        "index_put_", "f32[3,2]", "f64[2,2]", "dtypes match");
    assertError(
        () -> x.indexPut_(Tensors.of(new long[] {0, 1}), Tensors.ones(DType.F32, 2, 4), true),
        "index_put_", "value tensor of shape [2,4] cannot be broadcast to indexing result of shape [2,2]");
    assertError(
        () -> x.indexPut_(Tensors.of(new float[] {0}), two, false), "index_put_", "index: f32[1]");
    assertError(
        () -> x.indexPut_(Tensors.of(new long[] {0, 1}, 1, 2), two, false), "index_put_", "i64[1,2]");
    assertError(
        () -> Tensors.scalar(1, DType.F32).indexPut_(Tensors.of(new long[] {0}), two, false),
        "index_put_", "self: f32[]");
    assertError(
        () -> Tensors.zeros(DType.F32, 1, 2).expand(3, 2)
            .indexPut_(Tensors.of(new long[] {0}), Tensors.zeros(DType.F32, 2), true),
        "index_put_", OVERLAP);
  }

  @Test
  void emptyTensorsAreNoOps() {
    Tensor e = Tensors.zeros(DType.F32, 0, 3);
    assertSame(e, e.add_(Tensors.ones(DType.F32, 3)).mul_(2).copy_(Tensors.scalar(1, DType.F64)));
    assertArrayEquals(new int[] {0, 3}, e.shape());
    Tensor x = Tensors.ones(DType.F32, 2);
    x.indexPut_(Tensors.of(new long[0]), Tensors.zeros(DType.F32, 0), true);
    assertArrayEquals(new float[] {1, 1}, x.toFloatArray());
  }

  @Test
  void mutationPrimitivesAreRegistered() {
    grid().add_(1);
    List<String> names =
        Primitive.all().stream().map(Primitive::name).collect(Collectors.toList());
    assertTrue(names.containsAll(List.of("add_", "mul_", "copy_", "index_put_")), names.toString());
    EngineException e = assertThrows(EngineException.class, () -> grid().add_(grid().slice(0, 0, 2, 1)));
    assertEquals("add_", e.where());
  }
}
