package io.xbzrle.codec.internal;

import static org.junit.jupiter.api.Assertions.fail;

import io.xbzrle.api.codec.CorruptDeltaException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded: valid deltas, mutated a little, are accepted or rejected exactly as QEMU's decoder (the
 * reference) does, give the same page when accepted, and never touch bytes outside the page; both
 * decoders, which name the same fault at the same offset.
 */
final class DecoderAgainstReferenceTest {

    @ParameterizedTest(name = "page {0}")
    @ValueSource(ints = {4096, 512, 65536})
    void acceptsAndRejectsLikeTheReference(int pageSize) {
        long seed = Long.getLong("xbzrle.seed", System.nanoTime());
        System.out.println("DecoderAgainstReferenceTest page " + pageSize + " seed " + seed
                + " (rerun with -Dxbzrle.seed=" + seed + ")");
        SplittableRandom rnd = new SplittableRandom(seed);
        java.util.List<XbzrleCodec> codecs = Codecs.decoders(pageSize);
        byte[] old = new byte[pageSize];
        byte[] cur = new byte[pageSize];
        byte[] delta = new byte[2 * pageSize];
        byte[] slab = new byte[pageSize + 32];
        byte[] ref = new byte[pageSize];
        int rounds = pageSize >= 65536 ? 3000 : 100000;
        for (int k = 0; k < rounds; k++) {
            PageShapes.fill(rnd, rnd.nextInt(PageShapes.SHAPES), old, cur, pageSize);
            int n = ReferenceXbzrle.encode(old, cur, pageSize, delta, pageSize);
            if (n <= 0) {
                n = rnd.nextInt(12);
                for (int i = 0; i < n; i++) {
                    delta[i] = (byte) rnd.nextInt(256);
                }
            }
            int mutations = rnd.nextInt(4);
            for (int m = 0; m < mutations && n > 0; m++) {
                switch (rnd.nextInt(3)) {
                    case 0 -> delta[rnd.nextInt(n)] = (byte) rnd.nextInt(256);
                    case 1 -> n = rnd.nextInt(n + 1);
                    default -> delta[rnd.nextInt(n)] ^= (byte) 0x80;
                }
            }
            System.arraycopy(old, 0, ref, 0, pageSize);
            int want = ReferenceXbzrle.decode(delta, n, ref, pageSize);
            // Where the delta sits: at the start of a roomy array, or at any offset with 0 to 24
            // bytes after it (the decoder's fast loop reads ahead only where the array has room).
            byte[] in = delta;
            int at = 0;
            if (rnd.nextBoolean()) {
                at = rnd.nextInt(8);
                in = new byte[at + n + (rnd.nextBoolean() ? 0 : rnd.nextInt(25))];
                Arrays.fill(in, (byte) rnd.nextInt(256));
                System.arraycopy(delta, 0, in, at, n);
            }
            String firstFault = null;
            for (XbzrleCodec codec : codecs) {
                Arrays.fill(slab, (byte) 0x3C);
                System.arraycopy(old, 0, slab, 16, pageSize);
                int got;
                try {
                    got = codec.decode(in, at, n, slab, 16);
                } catch (CorruptDeltaException e) {
                    got = -1;
                    // Both decoders name the same fault at the same offset.
                    String fault = e.offset() + ": " + e.getMessage();
                    if (firstFault == null) {
                        firstFault = fault;
                    } else if (!firstFault.equals(fault)) {
                        fail("seed " + seed + ", round " + k + ": decoders report " + firstFault + " and " + fault);
                    }
                }
                String where = Codecs.decoderName(codec) + ", seed " + seed + ", round " + k;
                if (got != want) {
                    fail(where + ": decoder returned " + got + ", reference " + want);
                }
                if (want >= 0 && !Arrays.equals(ref, 0, pageSize, slab, 16, 16 + pageSize)) {
                    fail(where + ": decoded page differs from the reference");
                }
                for (int g = 0; g < 16; g++) {
                    if (slab[g] != 0x3C || slab[16 + pageSize + g] != 0x3C) {
                        fail(where + ": wrote outside the page");
                    }
                }
            }
        }
    }
}
