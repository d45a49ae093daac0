package io.xbzrle.codec.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xbzrle.api.codec.CorruptDeltaException;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decoder accepts what QEMU's accepts and rejects, with the fault's offset, what it rejects;
 * both ways of writing runs ({@link XbzrleCodec#arraycopyRunsPreferred()}).
 */
@ParameterizedClass(name = "arraycopy runs: {0}")
@ValueSource(booleans = {false, true})
final class DecoderTest {
    private static final int PAGE = 4096;
    private final boolean arraycopyRuns;
    private final XbzrleCodec codec;

    DecoderTest(boolean arraycopyRuns) {
        this.arraycopyRuns = arraycopyRuns;
        this.codec = new XbzrleCodec(PAGE, false, arraycopyRuns);
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** docs/xbzrle.txt's worked example: 1001 same bytes, 21 changed, 3074 same. */
    @Test
    void decodesTheDocumentedExample() throws CorruptDeltaException {
        byte[] delta = hex("e907 15 " + "01".repeat(21));
        byte[] page = new byte[PAGE];
        int end = codec.decode(delta, 0, delta.length, page, 0);
        assertEquals(1022, end);
        for (int i = 0; i < PAGE; i++) {
            assertEquals(i >= 1001 && i < 1022 ? 1 : 0, page[i], "byte " + i);
        }
    }

    @Test
    void emptyDeltaChangesNothing() throws CorruptDeltaException {
        byte[] page = new byte[PAGE];
        Arrays.fill(page, (byte) 9);
        assertEquals(0, codec.decode(new byte[0], 0, 0, page, 0));
        assertTrue(Arrays.stream(new int[PAGE]).allMatch(i -> page[i] == 9));
    }

    @Test
    void acceptsNonCanonicalTwoByteLengthsLikeQemu() throws CorruptDeltaException {
        // zrun "80 00" = 0 at the start, nzrun "85 00" = 5.
        byte[] delta = hex("8000 8500 0102030405");
        byte[] page = new byte[PAGE];
        assertEquals(5, codec.decode(delta, 0, delta.length, page, 0));
        assertArrayEquals(hex("0102030405"), Arrays.copyOf(page, 5));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "one byte,                 05,                0",
        "pair without data byte,   0001aa 05,         3",
        "zrun 0 after the start,   0001aa 0001bb,     3",
        "three-byte zrun length,   808001 01aa,       0",
        "three-byte nzrun length,  00 808001 aa,      1",
        "nzrun of length 0,        0000aa,            1",
        "zrun past the page,       8040 01aa,         0",
        "nzrun past the page,      ff1f 7f aaaa,      2",
        "nzrun past the delta,     00 7f aabb,        1",
        "truncated after zrun,     0501,              1",
        "zrun to exactly the end,  8020 01aa,         2",
    })
    void rejectsWhatQemuRejects(String what, String deltaHex, int offset) {
        byte[] delta = hex(deltaHex);
        byte[] page = new byte[PAGE];
        CorruptDeltaException e = assertThrows(CorruptDeltaException.class,
                () -> codec.decode(delta, 0, delta.length, page, 0), what);
        assertEquals(offset, e.offset(), what + ": " + e.getMessage());
        assertEquals(-1, ReferenceXbzrle.decode(delta, delta.length, new byte[PAGE], PAGE),
                what + ": the reference decoder accepts it");
    }

    @Test
    void largePagesTakeFullUleb128Lengths() throws CorruptDeltaException {
        XbzrleCodec big = new XbzrleCodec(65536, false, arraycopyRuns);
        // zrun 20000 (3 bytes: a0 9c 01), nzrun 2: data ab cd
        byte[] delta = hex("a09c01 02 abcd");
        byte[] page = new byte[65536];
        assertEquals(20002, big.decode(delta, 0, delta.length, page, 0));
        assertEquals((byte) 0xab, page[20000]);
        assertEquals((byte) 0xcd, page[20001]);
        byte[] tooLong = hex("80808001 01 aa");
        assertThrows(CorruptDeltaException.class, () -> big.decode(tooLong, 0, tooLong.length, page, 0));
    }

    @Test
    void largePageLengthsTakeAtMostTheBytesOfThePageSize() throws CorruptDeltaException {
        // 65536 takes 3 bytes in ULEB128: a length may take up to 3, in any form (as QEMU takes
        // "85 00" for 5 at 4 KiB), and a 4th byte is a fault even where the value is small.
        XbzrleCodec big = new XbzrleCodec(65536, false, arraycopyRuns);
        byte[] page = new byte[65536];
        byte[] padded = hex("858000 01 aa"); // zrun 5 in 3 bytes, nzrun 1
        assertEquals(6, big.decode(padded, 0, padded.length, page, 0));
        assertEquals((byte) 0xaa, page[5]);
        assertEquals(6, ReferenceXbzrle.decode(padded, padded.length, new byte[65536], 65536));
        byte[] fourBytes = hex("85808000 01 aa"); // zrun 5 in 4 bytes: found by fuzzing
        CorruptDeltaException e = assertThrows(CorruptDeltaException.class,
                () -> big.decode(fourBytes, 0, fourBytes.length, page, 0));
        assertEquals(0, e.offset(), e.getMessage());
        assertEquals(-1, ReferenceXbzrle.decode(fourBytes, fourBytes.length, new byte[65536], 65536));
    }

    @Test
    void neverWritesOutsideThePageInsideASlab() {
        // A run that would end past the page is refused before anything past it is written.
        byte[] slab = new byte[3 * PAGE];
        Arrays.fill(slab, (byte) 0x11);
        byte[] delta = hex("ff1f 02 aabb");
        assertThrows(CorruptDeltaException.class, () -> codec.decode(delta, 0, delta.length, slab, PAGE));
        for (int i = 0; i < slab.length; i++) {
            if (i < PAGE || i >= 2 * PAGE) {
                assertEquals(0x11, slab[i], "byte " + i + " outside the page");
            }
        }
    }

    @Test
    void shortRunAtTheVeryEndOfThePageKeepsNeighbours() throws CorruptDeltaException {
        byte[] slab = new byte[2 * PAGE];
        Arrays.fill(slab, (byte) 0x22);
        byte[] delta = hex("fd1f 03 010203"); // zrun 4093, nzrun 3
        assertEquals(PAGE, codec.decode(delta, 0, delta.length, slab, 0));
        assertArrayEquals(hex("010203"), Arrays.copyOfRange(slab, PAGE - 3, PAGE));
        assertEquals(0x22, slab[PAGE]);
        assertEquals(0x22, slab[PAGE - 4]);
    }
}
