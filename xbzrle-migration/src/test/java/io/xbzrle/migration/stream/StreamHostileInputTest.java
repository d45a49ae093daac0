package io.xbzrle.migration.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class StreamHostileInputTest {
    private static final Limits SMALL = new Limits(64 << 10, 16, 1 << 20);

    /** A small valid stream: every record type, three frames, COMPLETE. */
    private static byte[] smallStream() throws IOException {
        Wire.Sink sink = new Wire.Sink();
        StreamWriter w = StreamWriter.open(sink, Wire.header(64));
        byte[] page = new byte[64];
        Arrays.fill(page, (byte) 5);
        w.raw(0, 1, page, 0);
        w.zero(7, 3);
        w.roundEnd(1, 2, 100);
        w.xbzrle(0, 1, new byte[] {1, 2, 3}, 0, 3);
        w.flush();
        w.complete(68, new byte[32]);
        return sink.bytes();
    }

    /**
     * Reads a whole stream, on the caller's thread and again with frames read ahead; returns the
     * fault, failing the test on any exception but StreamException or if the two readings differ.
     */
    private static StreamException readAll(byte[] stream, Limits limits) {
        StreamException inline = readAll(stream, limits, 0);
        StreamException ahead = readAll(stream, limits, 2);
        assertEquals(inline == null ? null : inline.getMessage(), ahead == null ? null : ahead.getMessage(),
                "reading frames ahead reports the same fault");
        return inline;
    }

    private static StreamException readAll(byte[] stream, Limits limits, int framesAhead) {
        try (StreamReader r = StreamReader.open(new Wire.Source(stream), limits, framesAhead)) {
            while (true) {
                RecordType t = r.next();
                if (t == RecordType.RAW || t == RecordType.XBZRLE) {
                    byte[] d = r.data();
                    assertTrue(r.dataOffset() >= 0 && r.dataOffset() + r.dataLength() <= d.length);
                }
                if (t == RecordType.COMPLETE || t == RecordType.ABORT) {
                    return null;
                }
            }
        } catch (StreamException e) {
            assertTrue(e.getMessage().startsWith("stream offset "), e.getMessage());
            assertTrue(e.getMessage().indexOf('\n') < 0, "one line: " + e.getMessage());
            return e;
        } catch (IOException | RuntimeException e) {
            throw new AssertionError("not a StreamException: " + e, e);
        }
    }

    private static StreamException fault(byte[] stream, Limits limits) {
        StreamException e = readAll(stream, limits);
        if (e == null) {
            fail("the stream was accepted");
        }
        return e;
    }

    private static void assertFault(String expected, long offset, byte[] stream, Limits limits) {
        StreamException e = fault(stream, limits);
        assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
    }

    @Test
    void theSmallStreamIsValid() throws IOException {
        assertEquals(null, readAll(smallStream(), SMALL));
    }

    @Test
    void truncatedAtEveryOffsetIsAnError() throws IOException {
        byte[] s = smallStream();
        for (int n = 0; n < s.length; n++) {
            StreamException e = fault(Arrays.copyOf(s, n), SMALL);
            assertTrue(e.getMessage().endsWith("(truncated?)"), "cut at " + n + ": " + e.getMessage());
            assertEquals(n, e.offset(), "cut at " + n + ": " + e.getMessage());
        }
    }

    @Test
    void aCleanEndBeforeCompleteSaysSo() throws IOException {
        Wire.Sink sink = new Wire.Sink();
        StreamWriter w = StreamWriter.open(sink, Wire.header(64));
        w.zero(0, 0);
        w.flush();
        assertFault("stream ended before COMPLETE (truncated?)", sink.size(), sink.bytes(), SMALL);
    }

    @Test
    void everyFlippedByteIsCaught() throws IOException {
        byte[] s = smallStream();
        long seed = new SplittableRandom().nextLong();
        System.out.println("StreamHostileInputTest.everyFlippedByteIsCaught seed=" + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < s.length; i++) {
            for (int mask : new int[] {1, 0x80, 1 + rnd.nextInt(255)}) {
                byte[] bad = s.clone();
                bad[i] ^= (byte) mask;
                assertTrue(readAll(bad, SMALL) != null, "byte " + i + " ^ " + mask + " went unnoticed (seed " + seed + ")");
            }
        }
    }

    @Test
    void randomBytesAfterAValidHeaderOnlyGiveStreamExceptions() throws IOException {
        long seed = new SplittableRandom().nextLong();
        System.out.println("StreamHostileInputTest.randomBytesAfterAValidHeaderOnlyGiveStreamExceptions seed=" + seed);
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] header = Wire.headerBytes(Wire.header(64));
        for (int k = 0; k < 2000; k++) {
            byte[] payload = new byte[1 + rnd.nextInt(200)];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(8) : rnd.nextInt(256));
            }
            readAll(Wire.concat(header, Wire.frame(payload)), SMALL);
        }
    }

    // ---- the header ----

    private static Wire.RawHeader start(int pageSize) {
        return new Wire.RawHeader().magic("XBZR").u16(1).u32(pageSize);
    }

    @Test
    void notAStream() {
        assertFault("not an xbzrle migration stream", 0, "GET / HTTP/1.1\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), SMALL);
    }

    @Test
    void unsupportedVersion() {
        assertFault("unsupported stream version 2", 4, new Wire.RawHeader().magic("XBZR").u16(2).bytes(), SMALL);
    }

    /** Each stream ends right after the bad field: rejected there, before anything it sizes is read or allocated. */
    @ParameterizedTest
    @ValueSource(ints = {0, 32, 100, 4095, 1 << 30, Integer.MIN_VALUE, -1, 32 << 20})
    void pageSizeOutOfRange(int pageSize) {
        assertFault("is not a power of two from 64 to 16777216", 6, start(pageSize).bytes(), SMALL);
    }

    @Test
    void pageSizeOverTheLimit() {
        assertFault("page size 16777216 exceeds this destination's limit of 65536", 6, start(16 << 20).bytes(), SMALL);
        assertFault("page size 4194304 exceeds this destination's limit of 2097152", 6, start(4 << 20).bytes(), Limits.DEFAULT);
    }

    @Test
    void regionCountOutOfRange() {
        assertFault("65535 regions exceed this destination's limit of 16", 10, start(4096).u16(0xFFFF).bytes(), SMALL);
        assertFault("the header lists no regions", 10, start(4096).u16(0).bytes(), SMALL);
    }

    @Test
    void absurdPageCounts() {
        assertFault("pages takes the regions past this destination's limit of 1048576 pages", 12,
                start(4096).u16(1).u16(0).text("ram").u64(Long.MAX_VALUE).bytes(), SMALL);
        assertFault("has 18446744073709551615 pages", 12,
                start(4096).u16(1).u16(0).text("ram").u64(-1).bytes(), SMALL);
        assertFault("has 0 pages", 12, start(4096).u16(1).u16(0).text("ram").u64(0).bytes(), SMALL);
        // Together past the limit, each within it.
        byte[] two = start(4096).u16(2).u16(0).text("a").u64(1 << 19).u16(1).text("b").u64((1 << 19) + 1).bytes();
        assertFault("region 'b' of 524289 pages takes the regions past", 12 + 3 + 1 + 8, two, SMALL);
    }

    @Test
    void badRegions() {
        assertFault("region 5 has an empty name", 12, start(4096).u16(1).u16(5).u8(0).bytes(), SMALL);
        assertFault("region 5 has a name that is not UTF-8", 12,
                start(4096).u16(1).u16(5).u8(2).u8(0xC3).u8(0x28).u64(1).bytes(), SMALL);
        assertFault("region id 5 appears twice", 12 + 3 + 1 + 8,
                start(4096).u16(2).u16(5).text("a").u64(1).u16(5).text("b").bytes(), SMALL);
    }

    @Test
    void badCapabilities() {
        Wire.RawHeader h = start(4096).u16(1).u16(0).text("ram").u64(1);
        int at = 12 + 3 + 3 + 8;
        assertFault("unknown capability flags 0x2", at, h.u8(3).u8(6).bytes(), SMALL);
        assertFault("empty codec name", at + 1, start(4096).u16(1).u16(0).text("ram").u64(1).u8(1).u8(0).bytes(), SMALL);
        assertFault("the codec name is not 1..64 characters", at + 1,
                start(4096).u16(1).u16(0).text("ram").u64(1).u8(1).text("x".repeat(65)).bytes(), SMALL);
    }

    @Test
    void headerCrcMismatch() throws IOException {
        byte[] h = Wire.headerBytes(Wire.header(64));
        h[h.length - 1] ^= 1;
        assertFault("header CRC32C mismatch (corrupt stream)", h.length - 4, h, SMALL);
        byte[] good = start(4096).u16(1).u16(0).text("ram").u64(1).u8(1).text("xbzrle").crc().bytes();
        StreamException e = fault(good, SMALL);
        assertTrue(e.getMessage().contains("stream ended before COMPLETE"), "a hand-built header is valid: " + e.getMessage());
    }

    // ---- frames and records ----

    private static byte[] withFrames(byte[]... frames) throws IOException {
        byte[] h = Wire.headerBytes(Wire.header(64));
        byte[][] parts = new byte[frames.length + 1][];
        parts[0] = h;
        System.arraycopy(frames, 0, parts, 1, frames.length);
        return Wire.concat(parts);
    }

    private static int headerLength() throws IOException {
        return Wire.headerBytes(Wire.header(64)).length;
    }

    private static byte[] zero(int region, long index) {
        return ByteBuffer.allocate(11).put((byte) 2).putShort((short) region).putLong(index).array();
    }

    private static byte[] xbzrle(int region, long index, int length, int actual) {
        return ByteBuffer.allocate(15 + actual).put((byte) 3).putShort((short) region).putLong(index).putInt(length).array();
    }

    @Test
    void frameLengthBeyondCapacity() throws IOException {
        int h = headerLength();
        byte[] big = ByteBuffer.allocate(4).putInt((256 << 10) + 1).array();
        assertFault("frame length 262145 exceeds the capacity 262144 implied by the header", h, withFrames(big), SMALL);
        byte[] huge = ByteBuffer.allocate(4).putInt(-1).array();
        assertFault("frame length 4294967295 exceeds the capacity", h, withFrames(huge), SMALL);
        assertFault("empty frame", h, withFrames(new byte[4]), SMALL);
    }

    @Test
    void frameCrcMismatch() throws IOException {
        byte[] f = Wire.frame(zero(0, 0));
        f[5] ^= 0x10;
        assertFault("frame CRC32C mismatch (corrupt stream)", headerLength(), withFrames(f), SMALL);
    }

    @Test
    void indexPastTheRegion() throws IOException {
        int h = headerLength();
        assertFault("page index 64 is outside region 0 (64 pages)", h + 4, withFrames(Wire.frame(zero(0, 64))), SMALL);
        assertFault("page index 18446744073709551615 is outside region 7 (4 pages)", h + 4 + 11,
                withFrames(Wire.frame(Wire.concat(zero(0, 1), zero(7, -1)))), SMALL);
        byte[] raw = new byte[11 + 64];
        ByteBuffer.wrap(raw).put((byte) 1).putShort((short) 7).putLong(4);
        assertFault("page index 4 is outside region 7", h + 4, withFrames(Wire.frame(raw)), SMALL);
    }

    @Test
    void unknownRegion() throws IOException {
        assertFault("no region of id 3 in the header", headerLength() + 4, withFrames(Wire.frame(zero(3, 0))), SMALL);
    }

    @Test
    void xbzrleLengthPastThePageSize() throws IOException {
        int h = headerLength();
        assertFault("XBZRLE length 65 exceeds the page size 64", h + 4, withFrames(Wire.frame(xbzrle(0, 0, 65, 65))), SMALL);
        assertFault("XBZRLE length 4294967295 exceeds the page size 64", h + 4,
                withFrames(Wire.frame(xbzrle(0, 0, -1, 0))), SMALL);
        assertFault("XBZRLE record of 25 bytes runs past its frame (20 bytes left)", h + 4,
                withFrames(Wire.frame(xbzrle(0, 0, 10, 5))), SMALL);
    }

    @Test
    void xbzrleWhenTheHeaderSaysOff() throws IOException {
        StreamHeader off = StreamHeader.v1(64, java.util.List.of(new Region(0, "ram", 1)), false, "none");
        byte[] s = Wire.concat(Wire.headerBytes(off), Wire.frame(xbzrle(0, 0, 1, 1)));
        assertFault("XBZRLE record in a stream whose header has xbzrle off", Wire.headerBytes(off).length + 4, s, SMALL);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 7, 0x80, 0xFF})
    void unknownRecordType(int type) throws IOException {
        assertFault("unknown record type " + type, headerLength() + 4 + 11,
                withFrames(Wire.frame(Wire.concat(zero(0, 0), new byte[] {(byte) type}))), SMALL);
    }

    @Test
    void recordsRunningPastTheirFrame() throws IOException {
        int h = headerLength();
        assertFault("ZERO record of 11 bytes runs past its frame (10 bytes left)", h + 4,
                withFrames(Wire.frame(Arrays.copyOf(zero(0, 0), 10))), SMALL);
        byte[] raw = new byte[11 + 63];
        ByteBuffer.wrap(raw).put((byte) 1).putShort((short) 0).putLong(0);
        assertFault("RAW record of 75 bytes runs past its frame", h + 4, withFrames(Wire.frame(raw)), SMALL);
        assertFault("ROUND_END record of 25 bytes runs past its frame", h + 4, withFrames(Wire.frame(new byte[] {4, 0, 0})), SMALL);
        assertFault("COMPLETE record of 41 bytes runs past its frame", h + 4, withFrames(Wire.frame(new byte[] {5})), SMALL);
        assertFault("ABORT record of 3 bytes runs past its frame", h + 4, withFrames(Wire.frame(new byte[] {6, 0})), SMALL);
        assertFault("ABORT record of 13 bytes runs past its frame", h + 4,
                withFrames(Wire.frame(new byte[] {6, 0, 10, 'a'})), SMALL);
    }

    @Test
    void abortReasonTooLong() throws IOException {
        byte[] abort = new byte[3 + 1001];
        ByteBuffer.wrap(abort).put((byte) 6).putShort((short) 1001);
        assertFault("ABORT reason of 1001 bytes exceeds 1000", headerLength() + 4, withFrames(Wire.frame(abort)), SMALL);
    }

    @Test
    void nothingMayFollowCompleteInItsFrame() throws IOException {
        byte[] complete = new byte[41];
        complete[0] = 5;
        assertFault("COMPLETE is followed by 11 more bytes in its frame", headerLength() + 4,
                withFrames(Wire.frame(Wire.concat(complete, zero(0, 0)))), SMALL);
    }

    @Test
    void limitsCheckTheirArguments() {
        assertThrows(IllegalArgumentException.class, () -> new Limits(32, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Limits(64, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Limits(64, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Limits(32 << 20, 1, 1));
    }
}
