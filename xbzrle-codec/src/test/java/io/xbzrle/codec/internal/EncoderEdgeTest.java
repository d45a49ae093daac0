package io.xbzrle.codec.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The encoder's edges, each stated once. */
final class EncoderEdgeTest {

    @Test
    void documentedExampleEncodesAsDocumented() {
        for (XbzrleCodec codec : Codecs.all(4096)) {
            byte[] old = new byte[4096];
            byte[] cur = new byte[4096];
            Arrays.fill(cur, 1001, 1022, (byte) 1);
            byte[] out = new byte[4096];
            int n = codec.encode(old, 0, cur, 0, out, 0, 4096);
            assertArrayEquals(HexFormat.of().parseHex("e90715" + "01".repeat(21)), Arrays.copyOf(out, n));
        }
    }

    @Test
    void aWhollyChanged16KibPageOverflowsEvenWithRoomBecauseQemuLengthsStopAt0x3fff() {
        for (XbzrleCodec codec : Codecs.all(16384)) {
            byte[] old = new byte[16384];
            byte[] cur = new byte[16384];
            Arrays.fill(cur, (byte) 7);
            assertEquals(-1, codec.encode(old, 0, cur, 0, new byte[16400], 0, 16400), Codecs.name(codec));
        }
    }

    @Test
    void aLimitBelowTwoOverflowsEvenForAnUnchangedPageAsQemuDoes() {
        byte[] page = new byte[4096];
        for (XbzrleCodec codec : Codecs.all(4096)) {
            assertEquals(-1, codec.encode(page, 0, page, 0, new byte[1], 0, 1));
            assertEquals(0, codec.encode(page, 0, page, 0, new byte[2], 0, 2));
        }
    }

    @Test
    void anUnchangedTailNeedsTwoSpareBytes() {
        // 2048 changed bytes then an unchanged tail: zrun 0 (1 byte), nzrun 2048 (2 bytes) + data.
        byte[] old = new byte[4096];
        byte[] cur = new byte[4096];
        Arrays.fill(cur, 0, 2048, (byte) 3);
        for (XbzrleCodec codec : Codecs.all(4096)) {
            assertEquals(2051, codec.encode(old, 0, cur, 0, new byte[4096], 0, 2053));
            assertEquals(-1, codec.encode(old, 0, cur, 0, new byte[4096], 0, 2052));
        }
        // Changed up to the last byte: no tail, the delta may fill the limit exactly.
        Arrays.fill(cur, (byte) 0);
        Arrays.fill(cur, 2048, 4096, (byte) 3);
        for (XbzrleCodec codec : Codecs.all(4096)) {
            assertEquals(2052, codec.encode(old, 0, cur, 0, new byte[4096], 0, 2052)); // 2 + 2 + 2048
            assertEquals(-1, codec.encode(old, 0, cur, 0, new byte[4096], 0, 2051));
        }
    }
}
