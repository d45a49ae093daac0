package io.xbzrle.codec.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.xbzrle.api.codec.CorruptDeltaException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeded randomized tests over generated page pairs of every shape: the fast encoder gives the
 * reference encoder's exact result for any output limit, never writes past the limit (a guard
 * zone after the output), and every delta decodes back to the new page.
 */
final class EncoderAgainstReferenceTest {
    private static final int GUARD = 16;
    private static final byte FILL = (byte) 0xC3;

    /** Millions of 4 KiB pages: QEMU's page size, where the output must stay QEMU-identical. */
    @ParameterizedTest(name = "page {0}, {1} pairs")
    @CsvSource({"4096, 1500000", "64, 200000", "512, 200000", "16384, 50000", "65536, 4000"})
    void sameAsReferenceAndNeverPastTheLimit(int pageSize, int pairs) throws CorruptDeltaException {
        long seed = Long.getLong("xbzrle.seed", System.nanoTime());
        System.out.println("EncoderAgainstReferenceTest page " + pageSize + " seed " + seed
                + " (rerun with -Dxbzrle.seed=" + seed + ")");
        SplittableRandom rnd = new SplittableRandom(seed);
        java.util.List<XbzrleCodec> codecs = Codecs.all(pageSize);
        byte[] old = new byte[pageSize];
        byte[] cur = new byte[pageSize];
        byte[] out = new byte[pageSize + 8 + GUARD];
        byte[] ref = new byte[pageSize + 8];
        byte[] page = new byte[pageSize];
        int checkedAgainstReference = 0;
        for (int k = 0; k < pairs; k++) {
            int shape = rnd.nextInt(PageShapes.SHAPES);
            PageShapes.fill(rnd, shape, old, cur, pageSize, (k & 7) == 0);
            // Mostly QEMU's dlen = page size; sometimes any limit, to test the overflow rule widely.
            int limit = rnd.nextInt(8) == 0 ? rnd.nextInt(pageSize + 8) : pageSize;
            int outOffset = rnd.nextInt(8);
            XbzrleCodec codec = codecs.get(k % codecs.size());
            Arrays.fill(out, FILL);
            int n = codec.encode(old, 0, cur, 0, out, outOffset, limit);
            String where = Codecs.name(codec) + ", seed " + seed + ", pair " + k + ", shape " + shape + ", limit "
                    + limit;
            for (int g = outOffset + limit; g < out.length; g++) {
                if (out[g] != FILL) {
                    fail(where + ": wrote past the output limit at " + (g - outOffset));
                }
            }
            for (int g = 0; g < outOffset; g++) {
                if (out[g] != FILL) {
                    fail(where + ": wrote before the output offset");
                }
            }
            // The reference is slow: compare every pair of the smaller runs, one in 8 of the big one.
            if (pairs <= 200000 || k % 5 < 2) {
                int r = ReferenceXbzrle.encode(old, cur, pageSize, ref, limit);
                assertEquals(r, n, where + ": result");
                if (n > 0) {
                    assertArrayEquals(Arrays.copyOf(ref, r), Arrays.copyOfRange(out, outOffset, outOffset + n),
                            where + ": bytes");
                }
                checkedAgainstReference++;
            }
            if (n > 0) {
                System.arraycopy(old, 0, page, 0, pageSize);
                codec.decode(out, outOffset, n, page, 0);
                if (!Arrays.equals(page, cur)) {
                    fail(where + ": the delta does not decode to the new page");
                }
            } else if (n == 0 && !Arrays.equals(old, cur)) {
                fail(where + ": 0 returned for pages that differ");
            }
        }
        System.out.println("  " + pairs + " pairs, " + checkedAgainstReference + " against the reference");
    }
}
