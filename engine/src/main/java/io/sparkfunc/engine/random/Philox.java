package io.sparkfunc.engine.random;

/**
 * Philox4x32-10, the counter-based generator of Salmon et al., "Parallel random numbers: as easy
 * as 1, 2, 3" (SC 2011), with the standard Random123 constants: {@code (counter: u32[4], key:
 * u32[2]) -> u32[4]}. A pure function: the same counter and key give the same four words on every
 * machine and thread, so any element of a stream can be computed without the others.
 *
 * <p>How the engine lays its streams over the counter is NOTE [Philox counter layout] in {@link
 * Key}; this class is only the bijection and the 64-bit draws built from it.
 */
public final class Philox {
  private static final long M0 = 0xD2511F53L;
  private static final long M1 = 0xCD9E8D57L;
  private static final int W0 = 0x9E3779B9;
  private static final int W1 = 0xBB67AE85;
  private static final int ROUNDS = 10;
  private static final long MASK = 0xFFFF_FFFFL;

  private Philox() {}

  /**
   * One Philox4x32-10 block.
   *
   * @param counter four 32-bit counter words {@code c0..c3}. Not modified.
   * @param key two 32-bit key words {@code k0, k1}
   * @return the four output words
   */
  public static int[] block(int[] counter, int k0, int k1) {
    int[] out = counter.clone();
    rounds(out, k0, k1);
    return out;
  }

  /** Applies the ten rounds to {@code c} in place. */
  static void rounds(int[] c, int k0, int k1) {
    int c0 = c[0];
    int c1 = c[1];
    int c2 = c[2];
    int c3 = c[3];
    for (int r = 0; r < ROUNDS; r++) {
      long p0 = M0 * (c0 & MASK);
      long p1 = M1 * (c2 & MASK);
      int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
      int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
      c0 = n0;
      c1 = (int) p1;
      c2 = n2;
      c3 = (int) p0;
      k0 += W0;
      k1 += W1;
    }
    c[0] = c0;
    c[1] = c1;
    c[2] = c2;
    c[3] = c3;
  }

  /**
   * Fills {@code dst[dstOffset .. dstOffset+n)} with the 64-bit draws of elements {@code first ..
   * first+n)} of the stream {@code (key, round)}: element e is half {@code e & 1} of the block at
   * counter {@code (e >>> 1, round, s_lo, s_hi)}, low word first.
   *
   * @param key the stream's key
   * @param round 0 for ordinary draws; rejection sampling redraws with 1, 2, ...
   * @param first element index of {@code dst[dstOffset]}; {@code first + n <= 2^33}
   */
  public static void fill(Key key, int round, long first, long[] dst, int dstOffset, int n) {
    int[] c = new int[4];
    int k0 = (int) key.k();
    int k1 = (int) (key.k() >>> 32);
    int i = 0;
    while (i < n) {
      long e = first + i;
      setCounter(c, e >>> 1, round, key.s());
      rounds(c, k0, k1);
      int half = (int) (e & 1);
      dst[dstOffset + i++] = word64(c, half);
      if (half == 0 && i < n) {
        dst[dstOffset + i++] = word64(c, 1);
      }
    }
  }

  /** The 64-bit draw of element {@code e} of the stream {@code (key, round)}; see {@link #fill}. */
  public static long draw(Key key, int round, long e) {
    long[] one = new long[1];
    fill(key, round, e, one, 0, 1);
    return one[0];
  }

  static void setCounter(int[] c, long block, int round, long stream) {
    c[0] = (int) block;
    c[1] = round;
    c[2] = (int) stream;
    c[3] = (int) (stream >>> 32);
  }

  private static long word64(int[] c, int half) {
    return (c[2 * half] & MASK) | ((long) c[2 * half + 1] << 32);
  }
}
