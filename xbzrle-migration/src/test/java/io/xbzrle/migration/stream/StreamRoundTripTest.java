package io.xbzrle.migration.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class StreamRoundTripTest {
    /** One record as the test expects it back. */
    private record Rec(RecordType type, int region, long index, byte[] data, long a, long b, long c, String reason) {
    }

    @Test
    void everyRecordTypeRoundTrips() throws IOException {
        StreamHeader h = Wire.header(4096);
        Wire.Sink sink = new Wire.Sink();
        StreamWriter w = StreamWriter.open(sink, h);
        byte[] page = new byte[4096 + 10];
        for (int i = 0; i < page.length; i++) {
            page[i] = (byte) (i * 31);
        }
        byte[] delta = {9, 8, 7, 6, 5, 4, 3};
        byte[] digest = new byte[32];
        Arrays.fill(digest, (byte) 0xAB);
        w.raw(0, 63, page, 10);
        w.zero(7, 3);
        w.xbzrle(7, 0, delta, 2, 4);
        w.xbzrle(0, 1, delta, 0, 0);
        w.roundEnd(1, 3, 4200);
        w.complete(68, digest);
        assertEquals(sink.size(), w.bytesWritten(), "bytesWritten against what the channel got");

        StreamReader r = StreamReader.open(new Wire.Source(sink.bytes()), Limits.DEFAULT);
        assertEquals(h, r.header());
        assertEquals(RecordType.RAW, r.next());
        assertEquals(0, r.region());
        assertEquals(63, r.index());
        assertEquals(4096, r.dataLength());
        assertArrayEquals(Arrays.copyOfRange(page, 10, 4106),
                Arrays.copyOfRange(r.data(), r.dataOffset(), r.dataOffset() + r.dataLength()));
        assertEquals(RecordType.ZERO, r.next());
        assertEquals(7, r.region());
        assertEquals(3, r.index());
        assertEquals(RecordType.XBZRLE, r.next());
        assertEquals(7, r.region());
        assertEquals(0, r.index());
        assertArrayEquals(new byte[] {7, 6, 5, 4},
                Arrays.copyOfRange(r.data(), r.dataOffset(), r.dataOffset() + r.dataLength()));
        assertEquals(RecordType.XBZRLE, r.next());
        assertEquals(0, r.dataLength());
        assertEquals(RecordType.ROUND_END, r.next());
        assertEquals(1, r.round());
        assertEquals(3, r.pages());
        assertEquals(4200, r.bytes());
        assertEquals(RecordType.COMPLETE, r.next());
        assertEquals(68, r.pages());
        assertArrayEquals(digest, r.digest());
        assertEquals(sink.size(), r.bytesRead());
        assertThrows(IllegalStateException.class, r::next, "nothing follows COMPLETE");
        assertThrows(IllegalStateException.class, r::region, "COMPLETE has no region");
    }

    @Test
    void abortRoundTripsWithItsReasonCutAtACharacterBoundary() throws IOException {
        Wire.Sink sink = new Wire.Sink();
        StreamWriter w = StreamWriter.open(sink, Wire.header(4096));
        w.zero(0, 0);
        w.abort("é".repeat(600));
        StreamReader r = StreamReader.open(new Wire.Source(sink.bytes()), Limits.DEFAULT);
        assertEquals(RecordType.ZERO, r.next());
        assertEquals(RecordType.ABORT, r.next());
        assertEquals("é".repeat(500), r.reason());
        assertEquals(1000, r.reason().getBytes(StandardCharsets.UTF_8).length);
        assertThrows(IllegalStateException.class, () -> w.zero(0, 1), "no record after ABORT");
    }

    /** The header and frame layout, byte for byte, so that the format cannot drift unnoticed. */
    @Test
    void wireFormatIsPinned() throws IOException {
        StreamHeader h = StreamHeader.v1(4096, List.of(new Region(1, "ram", 2)), true, "xbzrle");
        Wire.Sink sink = new Wire.Sink();
        StreamWriter w = StreamWriter.open(sink, h);
        String header = "5842 5a52" + "0001" + "00001000" + "0001" + "0001" + "03 72616d" + "0000000000000002"
                + "01" + "06 78627a726c65";
        byte[] want = HexFormat.of().parseHex(header.replace(" ", ""));
        CRC32C crc = new CRC32C();
        crc.update(want);
        want = ByteBuffer.allocate(want.length + 4).put(want).putInt((int) crc.getValue()).array();
        assertEquals(HexFormat.of().formatHex(want), HexFormat.of().formatHex(sink.bytes()), "header");

        w.zero(1, 1);
        w.roundEnd(2, 1, 11);
        byte[] payload = HexFormat.of().parseHex("02" + "0001" + "0000000000000001"
                + "04" + "0000000000000002" + "0000000000000001" + "000000000000000b");
        byte[] frame = Arrays.copyOfRange(sink.bytes(), want.length, sink.size());
        assertEquals(HexFormat.of().formatHex(Wire.frame(payload)), HexFormat.of().formatHex(frame), "frame");
    }

    @Test
    void framesGoOutWhenFullOnFlushAndAfterRoundEnd() throws IOException {
        int pageSize = 64 << 10;
        Wire.Sink sink = new Wire.Sink();
        StreamWriter w = StreamWriter.open(sink, Wire.header(pageSize));
        long headerBytes = w.bytesWritten();
        byte[] page = new byte[pageSize];
        int perFrame = StreamHeader.frameCapacity(pageSize) / (pageSize + 11);
        for (int i = 0; i < perFrame; i++) {
            w.raw(0, i, page, 0);
        }
        assertEquals(headerBytes, w.bytesWritten(), "a frame that is not full stays buffered");
        w.raw(0, perFrame, page, 0);
        assertEquals(headerBytes + 8 + perFrame * (pageSize + 11L), w.bytesWritten(), "the full frame went out");
        w.flush();
        assertEquals(headerBytes + 2 * 8 + (perFrame + 1) * (pageSize + 11L), w.bytesWritten(), "flush sends the rest");
        w.flush();
        assertEquals(sink.size(), w.bytesWritten(), "an empty flush sends nothing");
        w.zero(0, 0);
        w.roundEnd(1, 1, 1);
        assertEquals(sink.size(), w.bytesWritten());
        assertEquals(w.bytesWritten() - (2 * 8 + (perFrame + 1) * (pageSize + 11L)) - headerBytes, 8 + 11 + 25,
                "ROUND_END flushes its frame");
    }

    static Stream<Arguments> randomCases() {
        long fresh = new SplittableRandom().nextLong();
        return Stream.of(64, 4096, 64 << 10)
                .flatMap(p -> LongStream.of(1, 42, fresh).mapToObj(s -> Arguments.of(p, s, (int) (s & 3))));
    }

    /**
     * Random records of every type across many frames, random flushes, a channel that takes partial
     * writes and returns short reads, frames written on the caller's thread or on the writer's own:
     * everything comes back as written.
     */
    @ParameterizedTest(name = "page size {0}, seed {1}, frames in flight {2}")
    @MethodSource("randomCases")
    void randomRecordsRoundTrip(int pageSize, long seed, int framesInFlight) throws IOException {
        System.out.println("StreamRoundTripTest.randomRecordsRoundTrip pageSize=" + pageSize + " seed=" + seed
                + " framesInFlight=" + framesInFlight);
        String where = "page size " + pageSize + ", seed " + seed + ", frames in flight " + framesInFlight;
        SplittableRandom rnd = new SplittableRandom(seed);
        StreamHeader h = Wire.header(pageSize);
        Wire.Sink sink = new Wire.Sink(rnd.split());
        StreamWriter w = StreamWriter.open(sink, h, framesInFlight);
        List<Rec> expected = new ArrayList<>();
        byte[] buf = new byte[pageSize + 100];
        long target = 3L * StreamHeader.frameCapacity(pageSize);
        long round = 0;
        while (w.bytesWritten() < target) {
            int region = rnd.nextBoolean() ? 0 : 7;
            long index = rnd.nextLong(region == 0 ? 64 : 4);
            int kind = rnd.nextInt(10);
            if (kind < 3) {
                int off = rnd.nextInt(100);
                fill(rnd, buf, off, pageSize);
                w.raw(region, index, buf, off);
                expected.add(new Rec(RecordType.RAW, region, index, Arrays.copyOfRange(buf, off, off + pageSize), 0, 0, 0, null));
            } else if (kind < 6) {
                w.zero(region, index);
                expected.add(new Rec(RecordType.ZERO, region, index, null, 0, 0, 0, null));
            } else if (kind < 9) {
                int off = rnd.nextInt(100);
                int len = rnd.nextInt(pageSize + 1);
                fill(rnd, buf, off, len);
                w.xbzrle(region, index, buf, off, len);
                expected.add(new Rec(RecordType.XBZRLE, region, index, Arrays.copyOfRange(buf, off, off + len), 0, 0, 0, null));
            } else {
                long pages = rnd.nextLong(1000);
                long bytes = rnd.nextLong();
                w.roundEnd(++round, pages, bytes);
                expected.add(new Rec(RecordType.ROUND_END, 0, 0, null, round, pages, bytes, null));
            }
            if (rnd.nextInt(20) == 0) {
                w.flush();
            }
        }
        if (rnd.nextBoolean()) {
            byte[] digest = new byte[32];
            fill(rnd, digest, 0, 32);
            w.complete(68, digest);
            expected.add(new Rec(RecordType.COMPLETE, 0, 0, digest, 68, 0, 0, null));
        } else {
            w.abort("cancelled by the user after " + round + " rounds");
            expected.add(new Rec(RecordType.ABORT, 0, 0, null, 0, 0, 0, "cancelled by the user after " + round + " rounds"));
        }
        assertEquals(sink.size(), w.bytesWritten(), where);
        assertTrue(sink.size() > target, where);
        w.close();

        StreamReader r = StreamReader.open(new Wire.Source(sink.bytes(), rnd.split()), Limits.DEFAULT, framesInFlight);
        for (int i = 0; i < expected.size(); i++) {
            Rec e = expected.get(i);
            String at = where + ", record " + i;
            assertEquals(e.type(), r.next(), at);
            switch (e.type()) {
                case RAW:
                case XBZRLE:
                    assertEquals(e.region(), r.region(), at);
                    assertEquals(e.index(), r.index(), at);
                    assertArrayEquals(e.data(), Arrays.copyOfRange(r.data(), r.dataOffset(), r.dataOffset() + r.dataLength()), at);
                    break;
                case ZERO:
                    assertEquals(e.region(), r.region(), at);
                    assertEquals(e.index(), r.index(), at);
                    break;
                case ROUND_END:
                    assertEquals(e.a(), r.round(), at);
                    assertEquals(e.b(), r.pages(), at);
                    assertEquals(e.c(), r.bytes(), at);
                    break;
                case COMPLETE:
                    assertEquals(e.a(), r.pages(), at);
                    assertArrayEquals(e.data(), r.digest(), at);
                    break;
                case ABORT:
                    assertEquals(e.reason(), r.reason(), at);
                    break;
                default:
                    throw new AssertionError(e.type());
            }
        }
        assertEquals(sink.size(), r.bytesRead(), where);
        r.close();
    }

    @Test
    void writerChecksItsArguments() throws IOException {
        StreamWriter w = StreamWriter.open(new Wire.Sink(), Wire.header(4096));
        byte[] page = new byte[4096];
        assertThrows(IllegalArgumentException.class, () -> w.zero(1, 0), "unknown region");
        assertThrows(IllegalArgumentException.class, () -> w.zero(7, 4), "index past the region");
        assertThrows(IllegalArgumentException.class, () -> w.zero(0, -1), "negative index");
        assertThrows(IndexOutOfBoundsException.class, () -> w.raw(0, 0, page, 1), "page past the array");
        assertThrows(IllegalArgumentException.class, () -> w.xbzrle(0, 0, new byte[5000], 0, 4097), "delta longer than a page");
        assertThrows(IllegalArgumentException.class, () -> w.complete(1, new byte[31]), "short digest");
        assertThrows(NullPointerException.class, () -> w.raw(0, 0, null, 0));
        assertThrows(NullPointerException.class, () -> w.abort(null));
        StreamWriter plain = StreamWriter.open(new Wire.Sink(),
                StreamHeader.v1(4096, List.of(new Region(0, "ram", 1)), false, "xbzrle"));
        assertThrows(IllegalArgumentException.class, () -> plain.xbzrle(0, 0, page, 0, 10), "xbzrle off");
        w.complete(0, new byte[32]);
        assertThrows(IllegalStateException.class, () -> w.zero(0, 0), "record after COMPLETE");
        assertThrows(IllegalStateException.class, () -> w.abort("late"), "ABORT after COMPLETE");
    }

    @Test
    void channelErrorsPropagateUnchanged() {
        IOException e = assertThrows(IOException.class, () -> StreamWriter.open(new Wire.Broken(), Wire.header(4096)));
        assertEquals("connection reset", e.getMessage());
    }

    @Test
    void writerAfterAFailedFrameRefusesMore() throws IOException {
        Wire.FailsAfterHeader ch = new Wire.FailsAfterHeader(new IOException("disk full"));
        StreamWriter w = StreamWriter.open(ch, Wire.header(4096));
        w.zero(0, 0);
        IOException e = assertThrows(IOException.class, w::flush);
        assertEquals("disk full", e.getMessage());
        assertThrows(IllegalStateException.class, () -> w.zero(0, 1));
    }

    @Test
    void nonBlockingChannelsAreRefused() throws IOException {
        Pipe pipe = Pipe.open();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            source.configureBlocking(false);
            sink.configureBlocking(false);
            assertThrows(IllegalArgumentException.class, () -> StreamReader.open(source, Limits.DEFAULT));
            assertThrows(IllegalArgumentException.class, () -> StreamWriter.open(sink, Wire.header(4096)));
        }
    }

    @Test
    void readerAccessorsBelongToTheirRecordType() throws IOException {
        Wire.Sink sink = new Wire.Sink();
        StreamWriter w = StreamWriter.open(sink, Wire.header(4096));
        w.zero(0, 0);
        w.complete(1, new byte[32]);
        StreamReader r = StreamReader.open(new Wire.Source(sink.bytes()));
        assertThrows(IllegalStateException.class, r::region, "before the first record");
        assertEquals(RecordType.ZERO, r.next());
        assertThrows(IllegalStateException.class, r::data, "ZERO has no data");
        assertThrows(IllegalStateException.class, r::round);
        assertThrows(IllegalStateException.class, r::digest);
        assertThrows(IllegalStateException.class, r::reason);
        assertEquals(0, r.index());
    }

    private static void fill(SplittableRandom rnd, byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            b[i] = (byte) rnd.nextInt(256);
        }
    }
}
