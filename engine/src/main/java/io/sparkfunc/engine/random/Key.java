package io.sparkfunc.engine.random;

import io.sparkfunc.engine.core.EngineException;

/**
 * An immutable PRNG key: two 64-bit words, the Philox key {@code k} and the stream {@code s}.
 * Every random function takes a key and is a pure function of it; reusing a key reuses its
 * numbers. Derive fresh keys with {@link #split} or {@link #foldIn} (JAX style) instead of
 * reusing one.
 *
 * <p>NOTE [Philox counter layout]. A key {@code (k, s)} names a stream of Philox4x32-10 blocks
 * under the 64-bit Philox key {@code k}. The 128-bit counter is {@code (c0, c1, c2, c3) = (block,
 * tag, lo32(s), hi32(s))}:
 *
 * <ul>
 *   <li>Draws: element {@code e} of a tensor (its flat row-major index) is the 64-bit half {@code
 *       e & 1} of the block at {@code c0 = e >>> 1}, {@code c1 = round}, where {@code round} is 0
 *       except for rejection-sampling redraws (1, 2, ...). So element e depends only on (key, e):
 *       the same on any machine, in any thread, whatever the shape or the other elements.
 *   <li>Derivations set the top bit of {@code c1}, which draws never do, so derived keys never
 *       coincide with numbers drawn from the same key: child {@code j} of {@link #split} is the
 *       block at {@code (j, SPLIT)}, and {@link #foldIn} hashes the low then the high 32 bits of
 *       its data through {@code (lo, FOLD_LO)} and {@code (hi, FOLD_HI)}. A block's four words
 *       become the derived key's {@code k} (words 0-1) and {@code s} (words 2-3).
 * </ul>
 *
 * <p>{@link #of(long)} is the seed as the Philox key with stream 0 (as JAX's {@code PRNGKey} and
 * PyTorch's Philox seeding); derived keys are 128 pseudo-random bits.
 */
public final class Key {
  private static final int SPLIT = 0x8000_0001;
  private static final int FOLD_LO = 0x8000_0002;
  private static final int FOLD_HI = 0x8000_0003;

  private final long k;
  private final long s;

  private Key(long k, long s) {
    this.k = k;
    this.s = s;
  }

  /** The key for {@code seed}: Philox key {@code seed}, stream 0. */
  public static Key of(long seed) {
    return new Key(seed, 0);
  }

  /** A key from its two words, as returned by {@link #k()} and {@link #s()} (for storing keys). */
  public static Key ofWords(long k, long s) {
    return new Key(k, s);
  }

  /** The Philox key word. */
  public long k() {
    return k;
  }

  /** The stream word. */
  public long s() {
    return s;
  }

  /**
   * {@code n} new keys, independent of each other and of this key's numbers. Child {@code j} does
   * not depend on {@code n}: {@code split(2)[0]} equals {@code split(3)[0]}.
   *
   * @param n number of keys, {@code >= 0}
   */
  public Key[] split(int n) {
    if (n < 0) {
      throw new EngineException(
          "Key.split", "n >= 0", "n=" + n, "pass the number of keys you need");
    }
    Key[] out = new Key[n];
    for (int j = 0; j < n; j++) {
      out[j] = derive(SPLIT, j);
    }
    return out;
  }

  /**
   * A new key determined by this key and {@code data} (e.g. a partition id, a step number or a
   * batch index), independent of this key's numbers and of its {@link #split} children.
   */
  public Key foldIn(long data) {
    return derive(FOLD_LO, (int) data).derive(FOLD_HI, (int) (data >>> 32));
  }

  private Key derive(int tag, int x) {
    int[] c = new int[4];
    Philox.setCounter(c, x & 0xFFFF_FFFFL, tag, s);
    Philox.rounds(c, (int) k, (int) (k >>> 32));
    long k2 = (c[0] & 0xFFFF_FFFFL) | ((long) c[1] << 32);
    long s2 = (c[2] & 0xFFFF_FFFFL) | ((long) c[3] << 32);
    return new Key(k2, s2);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Key && ((Key) o).k == k && ((Key) o).s == s;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(k) * 31 + Long.hashCode(s);
  }

  /** E.g. {@code Key(k=0x000000000000002a, s=0x0000000000000000)}. */
  @Override
  public String toString() {
    return String.format("Key(k=0x%016x, s=0x%016x)", k, s);
  }
}
