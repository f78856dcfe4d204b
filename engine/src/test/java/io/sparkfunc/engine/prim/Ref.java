package io.sparkfunc.engine.prim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparkfunc.engine.DType;
import io.sparkfunc.engine.DenseTensor;
import io.sparkfunc.engine.Shape;
import io.sparkfunc.engine.Tensor;
import io.sparkfunc.engine.Tensors;
import io.sparkfunc.engine.core.EngineException;
import io.sparkfunc.engine.storage.BufferStorage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.function.Executable;

/**
 * Test helpers: sample shapes, tensors of random values in several memory layouts, index
 * arithmetic for the scalar reference loops, and error-message checks.
 */
final class Ref {
  private Ref() {}

  /** Shapes of 0, 1, 3, 7, 17, 64, 65 and 1023 elements in ranks 1 to 3, plus long runs. */
  static final int[][] SHAPES = {
    {0}, {1}, {3}, {7}, {17}, {64}, {65}, {1023}, {5000},
    {0, 3}, {3, 0}, {1, 1}, {1, 3}, {7, 1}, {1, 17}, {4, 16}, {5, 13}, {31, 33}, {2, 2500},
    {2, 0, 3}, {1, 1, 1}, {1, 3, 1}, {7, 1, 1}, {1, 1, 17}, {4, 4, 4}, {5, 13, 1}, {3, 11, 31}, {1, 65, 1},
    {100, 3, 2}
  };

  /** Memory layouts of a tensor of a given shape. Every op must give the same numbers for each. */
  enum Layout {
    /** Row-major, no gaps. */
    CONTIGUOUS,
    /** Stored with axes reversed, viewed back with permute (rank >= 2). */
    TRANSPOSED,
    /** Every other element of a buffer twice as wide on the last axis. */
    STRIDED,
    /** Axis 0 expanded from extent 1 (stride 0). */
    EXPANDED,
    /** Slice starting at 1 on axis 0 of a larger buffer (non-zero offset). */
    OFFSET,
    /** Contiguous, in direct (off-heap) memory, as Arrow buffers arrive. */
    OFF_HEAP;

    boolean applies(int[] shape) {
      return this == CONTIGUOUS || (this == TRANSPOSED ? shape.length >= 2 : shape.length >= 1);
    }
  }

  /** Random values: small integers (ties) when {@code ints}, else uniform in [-1, 1) rounded to f32. */
  static double[] values(int n, boolean ints, long seed) {
    Random r = new Random(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = ints ? r.nextInt(7) - 3 : (float) (2 * r.nextDouble() - 1);
    }
    return v;
  }

  /** {@code values} as a contiguous tensor of {@code dtype} (bool: non-zero is true). */
  static Tensor tensor(double[] values, DType dtype, int... shape) {
    int n = values.length;
    switch (dtype) {
      case F32: {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
          f[i] = (float) values[i];
        }
        return Tensors.of(f, shape);
      }
      case F64:
        return Tensors.of(values, shape);
      case I64:
        return Tensors.of(Arrays.stream(values).mapToLong(d -> (long) d).toArray(), shape);
      default: {
        boolean[] b = new boolean[n];
        for (int i = 0; i < n; i++) {
          b[i] = values[i] != 0;
        }
        return Tensors.of(b, shape);
      }
    }
  }

  /** The body of a layout sweep: one input {@code x} and its values {@code v} in row-major order. */
  interface InputBody {
    void accept(DType dtype, int[] shape, Tensor x, double[] v);
  }

  /**
   * Runs {@code body} for each dtype and each shape of {@link #SHAPES} that {@code layout} applies
   * to, on a tensor made by {@link #make} (integer values where {@code ints} says so) with seeds
   * {@code seed, seed + 1, ...}.
   */
  static void forEachInput(Layout layout, DType[] dtypes, java.util.function.Predicate<DType> ints,
      long seed, InputBody body) {
    long next = seed;
    for (DType dtype : dtypes) {
      for (int[] shape : SHAPES) {
        if (layout.applies(shape)) {
          Tensor x = make(shape, dtype, layout, ints.test(dtype), next++);
          body.accept(dtype, shape, x, x.toDoubleArray());
        }
      }
    }
  }

  /** A tensor of {@code shape} and {@code dtype} laid out as {@code layout}, random values. */
  static Tensor make(int[] shape, DType dtype, Layout layout, boolean ints, long seed) {
    int r = shape.length;
    int[] base = shape.clone();
    switch (layout) {
      case TRANSPOSED:
        for (int i = 0; i < r; i++) {
          base[i] = shape[r - 1 - i];
        }
        break;
      case STRIDED:
        base[r - 1] *= 2;
        break;
      case EXPANDED:
        base[0] = 1;
        break;
      case OFFSET:
        base[0] += 1;
        break;
      default:
    }
    Tensor t = tensor(values((int) Shape.numel(base), ints, seed), dtype, base);
    switch (layout) {
      case TRANSPOSED:
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) {
          perm[i] = r - 1 - i;
        }
        return t.permute(perm);
      case STRIDED:
        return t.slice(r - 1, 0, base[r - 1], 2);
      case EXPANDED:
        return t.expand(shape);
      case OFFSET:
        return t.slice(0, 1, base[0], 1);
      case OFF_HEAP:
        int n = (int) t.numel();
        DenseTensor off = DenseTensor.contiguous(
            BufferStorage.wrap(ByteBuffer.allocateDirect(n * dtype.byteSize()), dtype, n), shape);
        Materialize.copyInto((DenseTensor) t, off);
        return off;
      default:
        return t;
    }
  }

  /** Every subset of {@code 0..rank-1}, as increasing arrays. */
  static List<int[]> axisSubsets(int rank) {
    List<int[]> out = new ArrayList<>();
    for (int mask = 0; mask < 1 << rank; mask++) {
      int m = mask;
      out.add(java.util.stream.IntStream.range(0, rank).filter(a -> (m >> a & 1) != 0).toArray());
    }
    return out;
  }

  /** Row-major multi-index of flat position {@code flat}. */
  static int[] unravel(int flat, int[] shape) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = flat % shape[d];
      flat /= shape[d];
    }
    return idx;
  }

  /** Row-major flat position of {@code idx}. */
  static int ravel(int[] idx, int[] shape) {
    int flat = 0;
    for (int d = 0; d < shape.length; d++) {
      flat = flat * shape[d] + idx[d];
    }
    return flat;
  }

  /** Asserts that {@code e} throws an {@link EngineException} whose message holds every part. */
  static String assertError(Executable e, String... parts) {
    String msg = assertThrows(EngineException.class, e).getMessage();
    for (String p : parts) {
      assertTrue(msg.contains(p), () -> "message lacks '" + p + "': " + msg);
    }
    assertTrue(msg.contains("Fix"), () -> "message lacks a fix: " + msg);
    return msg;
  }

  /** Asserts {@code got} equals {@code want} elementwise within {@code tol[i]} (NaN matches NaN). */
  static void assertClose(double[] want, double[] got, double[] tol, String what) {
    assertEquals(want.length, got.length, what + ": length");
    for (int i = 0; i < want.length; i++) {
      double w = want[i];
      double g = got[i];
      int at = i;
      assertTrue(
          Double.isNaN(w) ? Double.isNaN(g) : Math.abs(w - g) <= tol[i],
          () -> what + ": element " + at + " want " + w + " got " + g + " (tol " + tol[at] + ")");
    }
  }
}
