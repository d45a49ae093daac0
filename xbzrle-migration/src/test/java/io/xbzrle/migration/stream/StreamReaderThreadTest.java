package io.xbzrle.migration.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A reader with frames read ahead: faults in their place, data that stays put, close. */
final class StreamReaderThreadTest {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    /** Many frames of RAW pages, each page filled with its index, then COMPLETE. */
    private static byte[] pages(int pageSize, int count) throws IOException {
        Wire.Sink sink = new Wire.Sink();
        StreamWriter w = StreamWriter.open(sink, Wire.header(pageSize));
        byte[] page = new byte[pageSize];
        for (int i = 0; i < count; i++) {
            Arrays.fill(page, (byte) i);
            w.raw(0, i % 64, page, 0);
        }
        w.complete(68, new byte[32]);
        return sink.bytes();
    }

    @Test
    void aRecordsDataStaysPutUntilTheNextCallWhileLaterFramesArrive() throws Exception {
        int pageSize = 64 << 10;
        int count = 40; // 3 per frame: 14 frames through 3 buffers
        byte[] stream = pages(pageSize, count);
        Wire.CutSource source = new Wire.CutSource(stream, stream.length, null);
        StreamReader r = StreamReader.open(source, Limits.DEFAULT, 2);
        long frameBytes = 8 + 3 * (pageSize + (long) StreamWriter.RAW_FIXED);
        byte[] expected = new byte[pageSize];
        for (int i = 0; i < count; i++) {
            assertEquals(RecordType.RAW, r.next());
            // The reading thread fills both free buffers (or reaches the end) before the data is
            // checked: then a buffer handed back too early would have been overwritten.
            long ahead = Math.min(stream.length, r.bytesRead() + 2 * frameBytes);
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (source.position.get() < ahead && System.nanoTime() < deadline) {
                Thread.yield();
            }
            assertTrue(source.position.get() >= ahead, "the reading thread reads two frames ahead");
            Arrays.fill(expected, (byte) i);
            assertArrayEquals(expected, Arrays.copyOfRange(r.data(), r.dataOffset(), r.dataOffset() + pageSize),
                    "page " + i);
        }
        assertEquals(RecordType.COMPLETE, r.next());
        r.close();
    }

    @Test
    void aChannelErrorComesUnchangedWhenItsFrameIsReachedAndAgainAfter() throws Exception {
        byte[] stream = pages(4096, 200);
        IOException reset = new IOException("connection reset by the peer");
        int cut = stream.length / 2;
        Wire.CutSource failing = new Wire.CutSource(stream, cut, reset);
        try (StreamReader r = StreamReader.open(failing, Limits.DEFAULT, 2)) {
            int records = 0;
            IOException thrown = null;
            try {
                while (true) {
                    r.next();
                    records++;
                }
            } catch (IOException e) {
                thrown = e;
            }
            assertSame(reset, thrown);
            long header = StreamReader.open(new Wire.Source(stream), Limits.DEFAULT).bytesRead();
            int perFrame = StreamHeader.frameCapacity(4096) / (4096 + StreamWriter.RAW_FIXED);
            long frameBytes = 8 + perFrame * (4096L + StreamWriter.RAW_FIXED);
            assertEquals((cut - header) / frameBytes * perFrame, records, "every whole frame before the fault was read");
            assertSame(reset, assertThrows(IOException.class, r::next), "asked again, the same fault");
        }
    }

    @Test
    void closeReturnsWhileTheReadingThreadWaitsOnASilentChannel() throws Exception {
        byte[] stream = pages(4096, 1);
        int header = (int) StreamReader.open(new Wire.Source(stream), Limits.DEFAULT).bytesRead();
        Wire.CutSource silent = new Wire.CutSource(stream, header, null); // then a peer that sends nothing
        StreamReader r = StreamReader.open(silent, Limits.DEFAULT, 2);
        try {
            assertTimeoutPreemptively(LIMIT, r::close);
            assertThrows(IllegalStateException.class, r::next, "closed");
        } finally {
            silent.release();
        }
    }

    @Test
    void aNegativeFrameCountIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> StreamReader.open(new Wire.Source(new byte[0]), Limits.DEFAULT, -1));
    }
}
