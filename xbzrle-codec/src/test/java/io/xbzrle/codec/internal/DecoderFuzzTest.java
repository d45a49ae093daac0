package io.xbzrle.codec.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xbzrle.api.codec.CorruptDeltaException;
import java.util.Arrays;

/**
 * Jazzer fuzz tests. In a normal build they run in regression mode over the inputs kept in
 * {@code src/test/resources/.../DecoderFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes for real
 * (see the README). They run on the class path: Jazzer cannot be on the module path.
 */
final class DecoderFuzzTest {
    private static final int GUARD = 16;

    /**
     * Any bytes given to the decoder: only {@link CorruptDeltaException} may come out, nothing is
     * written outside the page, and both decoders agree with QEMU's (the reference) on what is
     * valid and on the resulting page.
     */
    @FuzzTest(maxDuration = "30s")
    void decoderTakesAnyInput(FuzzedDataProvider data) {
        boolean large = data.consumeBoolean();
        int pageSize = large ? 65536 : 4096;
        byte[] oldPage = new byte[pageSize];
        Arrays.fill(oldPage, (byte) data.consumeInt(0, 255));
        byte[] delta = data.consumeRemainingAsBytes();
        byte[] ref = oldPage.clone();
        int want = ReferenceXbzrle.decode(delta, delta.length, ref, pageSize);
        byte[] slab = new byte[pageSize + 2 * GUARD];
        for (XbzrleCodec codec : Codecs.decoders(pageSize)) {
            String name = Codecs.decoderName(codec);
            Arrays.fill(slab, (byte) 0xEE);
            System.arraycopy(oldPage, 0, slab, GUARD, pageSize);
            int got;
            try {
                got = codec.decode(delta, 0, delta.length, slab, GUARD);
            } catch (CorruptDeltaException e) {
                got = -1;
                assertTrue(e.offset() >= 0 && e.offset() <= delta.length, name + ": fault offset " + e.offset());
            }
            assertEquals(want, got, name + " and QEMU's reference disagree");
            if (want >= 0) {
                assertArrayEquals(ref, Arrays.copyOfRange(slab, GUARD, GUARD + pageSize), name);
            }
            for (int g = 0; g < GUARD; g++) {
                assertEquals((byte) 0xEE, slab[g], name + " wrote before the page");
                assertEquals((byte) 0xEE, slab[GUARD + pageSize + g], name + " wrote after the page");
            }
        }
    }

    /**
     * Any pair of pages and output limit: the encoder gives the reference's exact result, never
     * writes past the limit, and its delta decodes to the new page.
     */
    @FuzzTest(maxDuration = "30s")
    void encoderRoundTripsAnyPair(FuzzedDataProvider data) throws CorruptDeltaException {
        int pageSize = 64 << data.consumeInt(0, 7);
        int limit = data.consumeInt(0, pageSize + 8);
        byte[] old = new byte[pageSize];
        byte[] cur = new byte[pageSize];
        byte[] a = data.consumeBytes(pageSize);
        System.arraycopy(a, 0, old, 0, a.length);
        System.arraycopy(old, 0, cur, 0, pageSize);
        // The rest: (position, value) edits of the new page.
        while (data.remainingBytes() >= 3) {
            int pos = data.consumeInt(0, pageSize - 1);
            cur[pos] = data.consumeByte();
        }
        byte[] out = new byte[pageSize + 8 + GUARD];
        Arrays.fill(out, (byte) 0xEE);
        int n = new XbzrleCodec(pageSize).encode(old, 0, cur, 0, out, 0, limit);
        byte[] ref = new byte[pageSize + 8];
        assertEquals(ReferenceXbzrle.encode(old, cur, pageSize, ref, limit), n, "result differs from the reference");
        for (int g = limit; g < out.length; g++) {
            assertEquals((byte) 0xEE, out[g], "wrote past the output limit");
        }
        if (n > 0) {
            assertArrayEquals(Arrays.copyOf(ref, n), Arrays.copyOf(out, n));
            byte[] page = old.clone();
            new XbzrleCodec(pageSize).decode(out, 0, n, page, 0);
            assertArrayEquals(cur, page, "the delta does not decode to the new page");
        }
    }
}
