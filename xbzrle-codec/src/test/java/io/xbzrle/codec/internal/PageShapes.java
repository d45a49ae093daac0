package io.xbzrle.codec.internal;

import java.util.SplittableRandom;

/**
 * Makes page pairs of every shape the codec must handle: unchanged, sparse short runs, word
 * changes, dense alternation, long runs, whole-page changes, changes at the edges and on 8- and
 * 64-byte boundaries, and pages built to land near the overflow limit.
 */
final class PageShapes {
    static final int SHAPES = 11;

    private PageShapes() {
    }

    /** Fills {@code old} and {@code cur} (both {@code size} bytes) with a pair of the given shape. */
    static void fill(SplittableRandom rnd, int shape, byte[] old, byte[] cur, int size) {
        fill(rnd, shape, old, cur, size, true);
    }

    /**
     * As {@link #fill(SplittableRandom, int, byte[], byte[], int)}; with {@code newBase} false the
     * old page is kept as it is (cheaper, for runs over millions of pairs).
     */
    static void fill(SplittableRandom rnd, int shape, byte[] old, byte[] cur, int size, boolean newBase) {
        if (newBase) {
            base(rnd, old, size);
        }
        System.arraycopy(old, 0, cur, 0, size);
        switch (shape) {
            case 0 -> { } // unchanged
            case 1 -> runs(rnd, cur, size, 1 + rnd.nextInt(8), 1, 32);
            case 2 -> { // words: 8-byte aligned counters bumped
                int n = 1 + rnd.nextInt(Math.max(1, size / 64));
                for (int k = 0; k < n; k++) {
                    int p = rnd.nextInt(size / 8) * 8;
                    cur[p] = (byte) (cur[p] + 1 + rnd.nextInt(255));
                    if (rnd.nextBoolean()) {
                        cur[p + 1] ^= (byte) (1 + rnd.nextInt(255));
                    }
                }
            }
            case 3 -> { // dense alternation
                for (int p = rnd.nextInt(2); p < size; p += 2) {
                    cur[p] ^= (byte) (1 + rnd.nextInt(255));
                }
            }
            case 4 -> runs(rnd, cur, size, 1 + rnd.nextInt(4), 100, 3000);
            case 5 -> { // whole page different
                for (int p = 0; p < size; p++) {
                    cur[p] ^= (byte) (1 + rnd.nextInt(255));
                }
            }
            case 6 -> { // edges and boundaries
                int[] spots = {0, size - 1, 7, 8, 63, 64, 65, size - 8, size - 9, size - 64, size / 2};
                for (int s : spots) {
                    if (rnd.nextBoolean() && s >= 0 && s < size) {
                        cur[s] ^= (byte) (1 + rnd.nextInt(255));
                    }
                }
                cur[rnd.nextBoolean() ? 0 : size - 1] ^= 0x5a;
            }
            case 7 -> nearLimit(rnd, cur, size);
            case 8 -> runs(rnd, cur, size, 10 + rnd.nextInt(200), 1, 16);
            case 9 -> { // zero to data or data to zero
                if (rnd.nextBoolean()) {
                    java.util.Arrays.fill(old, 0, size, (byte) 0);
                } else {
                    java.util.Arrays.fill(cur, 0, size, (byte) 0);
                }
            }
            default -> { // single changed byte anywhere
                int p = rnd.nextInt(size);
                cur[p] ^= (byte) (1 + rnd.nextInt(255));
            }
        }
    }

    private static void base(SplittableRandom rnd, byte[] page, int size) {
        int kind = rnd.nextInt(3);
        for (int p = 0; p < size; p += 8) {
            long v = switch (kind) {
                case 0 -> rnd.nextLong();
                case 1 -> rnd.nextInt(4) == 0 ? 0 : rnd.nextLong(1 << 20);
                default -> 0x2020202020202020L + (rnd.nextLong() & 0x1f1f1f1f1f1f1f1fL);
            };
            for (int b = 0; b < 8 && p + b < size; b++) {
                page[p + b] = (byte) (v >>> (8 * b));
            }
        }
    }

    /** Changes {@code n} runs of random length in [min, max], each byte surely different. */
    private static void runs(SplittableRandom rnd, byte[] cur, int size, int n, int min, int max) {
        for (int k = 0; k < n; k++) {
            int len = Math.min(size, min + rnd.nextInt(max - min + 1));
            int start = rnd.nextInt(size - len + 1);
            for (int p = start; p < start + len; p++) {
                cur[p] ^= (byte) (1 + rnd.nextInt(255));
            }
        }
    }

    /** Alternating runs sized so that the encoding lands near the page size, tail or not. */
    private static void nearLimit(SplittableRandom rnd, byte[] cur, int size) {
        int target = size - 24 + rnd.nextInt(48);
        int enc = 0;
        int p = 0;
        while (p < size) {
            int z = 1 + rnd.nextInt(3);
            int nz = 1 + rnd.nextInt(200);
            int cost = ReferenceXbzrle.uleb(z) + ReferenceXbzrle.uleb(nz) + nz;
            if (enc + cost > target) {
                nz = Math.max(1, target - enc - 2);
            }
            p += z;
            for (int q = p; q < Math.min(size, p + nz); q++) {
                cur[q] ^= (byte) (1 + rnd.nextInt(255));
            }
            p += nz;
            enc += cost;
            if (enc >= target) {
                break;
            }
        }
    }
}
