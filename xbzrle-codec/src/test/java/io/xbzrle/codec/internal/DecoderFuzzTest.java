package io.xbzrle.codec.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.xbzrle.api.codec.CorruptDeltaException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Jazzer fuzz tests. In a normal build they run in regression mode over the inputs kept in
 * {@code src/test/resources/.../DecoderFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes for real
 * (see the README). They run on the class path: Jazzer cannot be on the module path.
 */
final class DecoderFuzzTest {
    private static final int GUARD = 16;
    /** Every encoder variant, per page size from 64 bytes to 8 KiB. */
    private static final List<List<XbzrleCodec>> ENCODERS =
            IntStream.range(0, 8).mapToObj(k -> Codecs.all(64 << k)).toList();

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
        // The delta sits at an offset in its array, with 0 to 32 bytes after it (the fast loops
        // read ahead only where the array has room, and never use what they read past the delta).
        int at = data.consumeInt(0, 7);
        int slack = data.consumeInt(0, 32);
        byte[] delta = data.consumeRemainingAsBytes();
        byte[] in = new byte[at + delta.length + slack];
        Arrays.fill(in, (byte) 0x81);
        System.arraycopy(delta, 0, in, at, delta.length);
        byte[] ref = oldPage.clone();
        int want = ReferenceXbzrle.decode(delta, delta.length, ref, pageSize);
        byte[] slab = new byte[pageSize + 2 * GUARD];
        for (XbzrleCodec codec : Codecs.decoders(pageSize)) {
            String name = Codecs.decoderName(codec);
            Arrays.fill(slab, (byte) 0xEE);
            System.arraycopy(oldPage, 0, slab, GUARD, pageSize);
            int got;
            try {
                got = codec.decode(in, at, delta.length, slab, GUARD);
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
     * Any pair of pages and output limit: every encoder variant gives the reference's exact result,
     * never writes past the limit, and its delta decodes to the new page. The new page is the old
     * one with single-byte edits, or with runs of changed and unchanged bytes of fuzzed lengths
     * (dense pages, which take the overflow proofs and the encoding after them).
     */
    @FuzzTest(maxDuration = "30s")
    void encoderRoundTripsAnyPair(FuzzedDataProvider data) throws CorruptDeltaException {
        int pageSize = 64 << data.consumeInt(0, 7);
        int limit = data.consumeInt(0, pageSize + 8);
        boolean runs = data.consumeBoolean();
        byte[] old = new byte[pageSize];
        byte[] cur = new byte[pageSize];
        byte[] a = data.consumeBytes(runs ? 64 : pageSize);
        for (int i = 0; i < pageSize && a.length > 0; i++) {
            // Edits: the bytes given, zeros past them; runs: 64 bytes given, repeated with a step.
            old[i] = i < a.length ? a[i] : runs ? (byte) (a[i % a.length] + i / a.length) : 0;
        }
        System.arraycopy(old, 0, cur, 0, pageSize);
        if (runs) {
            // (length, changed) runs from the start of the page; a changed byte gets a non-zero XOR.
            int p = 0;
            while (p < pageSize && data.remainingBytes() >= 2) {
                int length = data.consumeInt(1, 200);
                boolean changed = data.consumeBoolean();
                for (int end = Math.min(pageSize, p + length); p < end; p++) {
                    cur[p] = changed ? (byte) (old[p] ^ (1 + (p * 37 & 0xfe))) : old[p];
                }
            }
        } else {
            // (position, value) edits of the new page.
            while (data.remainingBytes() >= 3) {
                int pos = data.consumeInt(0, pageSize - 1);
                cur[pos] = data.consumeByte();
            }
        }
        byte[] ref = new byte[pageSize + 8];
        int want = ReferenceXbzrle.encode(old, cur, pageSize, ref, limit);
        byte[] out = new byte[pageSize + 8 + GUARD];
        for (XbzrleCodec codec : ENCODERS.get(Integer.numberOfTrailingZeros(pageSize) - 6)) {
            String name = Codecs.name(codec);
            Arrays.fill(out, (byte) 0xEE);
            int n = codec.encode(old, 0, cur, 0, out, 0, limit);
            assertEquals(want, n, name + ": result differs from the reference");
            for (int g = limit; g < out.length; g++) {
                assertEquals((byte) 0xEE, out[g], name + ": wrote past the output limit");
            }
            if (n > 0) {
                assertArrayEquals(Arrays.copyOf(ref, n), Arrays.copyOf(out, n), name);
                byte[] page = old.clone();
                codec.decode(out, 0, n, page, 0);
                assertArrayEquals(cur, page, name + ": the delta does not decode to the new page");
            }
        }
    }
}
