package io.xbzrle.migration.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

final class ReturnMessagesTest {
    private static final byte[] DIGEST = new byte[32];

    static {
        Arrays.fill(DIGEST, (byte) 0x5A);
    }

    private static byte[] written(ReturnMessage m) throws IOException {
        Wire.Sink sink = new Wire.Sink();
        ReturnMessages.write(sink, m);
        return sink.bytes();
    }

    private static StreamException fault(byte[] bytes) {
        StreamException e = assertThrows(StreamException.class, () -> ReturnMessages.read(new Wire.Source(bytes)));
        assertTrue(e.getMessage().startsWith("return path: "), e.getMessage());
        assertEquals(-1, e.offset());
        return e;
    }

    @Test
    void messagesRoundTripOneAfterAnother() throws IOException {
        Wire.Sink sink = new Wire.Sink();
        ReturnMessages.accepted(sink);
        ReturnMessages.refused(sink, "page size 65536 exceeds this destination's limit");
        ReturnMessages.result(sink, true, DIGEST, "");
        ReturnMessages.result(sink, false, new byte[32], "digest mismatch");
        Wire.Source in = new Wire.Source(sink.bytes());
        assertEquals(new ReturnMessage.Accepted(), ReturnMessages.read(in));
        assertEquals(new ReturnMessage.Refused("page size 65536 exceeds this destination's limit"), ReturnMessages.read(in));
        ReturnMessage.Result r = (ReturnMessage.Result) ReturnMessages.read(in);
        assertTrue(r.match());
        assertArrayEquals(DIGEST, r.digest());
        assertEquals("", r.error());
        assertEquals(new ReturnMessage.Result(false, new byte[32], "digest mismatch"), ReturnMessages.read(in));
        assertEquals(sink.size(), in.position(), "nothing read past the last message");
        assertTrue(fault(new byte[0]).getMessage().contains("closed by the peer before a message"));
    }

    @Test
    void wireFormatIsPinned() throws IOException {
        assertArrayEquals(Wire.frame(new byte[] {1}), written(new ReturnMessage.Accepted()));
        assertArrayEquals(Wire.frame(new byte[] {2, 0, 2, 'n', 'o'}), written(new ReturnMessage.Refused("no")));
        byte[] payload = ByteBuffer.allocate(1 + 1 + 32 + 2 + 1).put((byte) 3).put((byte) 1).put(DIGEST)
                .putShort((short) 1).put((byte) 'e').array();
        assertArrayEquals(Wire.frame(payload), written(new ReturnMessage.Result(true, DIGEST, "e")));
    }

    @Test
    void textsAreCutTo1000Bytes() throws IOException {
        ReturnMessage m = ReturnMessages.read(new Wire.Source(written(new ReturnMessage.Refused("ü".repeat(700)))));
        assertEquals(new ReturnMessage.Refused("ü".repeat(500)), m);
    }

    @Test
    void resultsCopyTheirDigest() {
        byte[] d = DIGEST.clone();
        ReturnMessage.Result r = new ReturnMessage.Result(true, d, "");
        d[0] = 0;
        r.digest()[1] = 0;
        assertArrayEquals(DIGEST, r.digest());
        assertThrows(IllegalArgumentException.class, () -> new ReturnMessage.Result(true, new byte[31], ""));
        assertThrows(NullPointerException.class, () -> new ReturnMessage.Result(true, DIGEST, null));
        assertThrows(NullPointerException.class, () -> new ReturnMessage.Refused(null));
    }

    @Test
    void truncatedAtEveryOffset() throws IOException {
        for (ReturnMessage m : List.of(new ReturnMessage.Accepted(), new ReturnMessage.Refused("why"),
                new ReturnMessage.Result(false, DIGEST, "boom"))) {
            byte[] b = written(m);
            for (int n = 0; n < b.length; n++) {
                fault(Arrays.copyOf(b, n));
            }
        }
    }

    @Test
    void everyFlippedByteIsCaught() throws IOException {
        byte[] b = written(new ReturnMessage.Result(true, DIGEST, "error text"));
        for (int i = 0; i < b.length; i++) {
            byte[] bad = b.clone();
            bad[i] ^= 0x04;
            fault(bad);
        }
    }

    @Test
    void invalidMessagesAreRefused() {
        assertTrue(fault(ByteBuffer.allocate(4).putInt(-1).array()).getMessage()
                .contains("message length 4294967295 is outside 1..1036"));
        assertTrue(fault(new byte[4]).getMessage().contains("message length 0"));
        assertTrue(fault(Wire.frame(new byte[] {9})).getMessage().contains("unknown message type 9"));
        assertTrue(fault(Wire.frame(new byte[] {1, 0})).getMessage().contains("1 extra bytes after the message"));
        assertTrue(fault(Wire.frame(new byte[] {2, 0, 5, 'a'})).getMessage().contains("REFUSED message runs past its frame"));
        assertTrue(fault(Wire.frame(new byte[] {2, 3, (byte) 0xE9})).getMessage().contains("REFUSED text of 1001 bytes"));
        byte[] result = new byte[1 + 1 + 32 + 2];
        result[0] = 3;
        result[1] = 2;
        assertTrue(fault(Wire.frame(result)).getMessage().contains("RESULT match flag 2 is not 0 or 1"));
        assertTrue(fault(Wire.frame(new byte[] {3, 1})).getMessage().contains("RESULT message runs past its frame"));
    }
}
