package io.xbzrle.migration.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
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
        StreamReader r = StreamReader.open(new Wire.Source(pages(pageSize, count)), Limits.DEFAULT, 2);
        byte[] expected = new byte[pageSize];
        for (int i = 0; i < count; i++) {
            assertEquals(RecordType.RAW, r.next());
            Thread.sleep(i % 3 == 0 ? 20 : 0); // let the reading thread fill every free buffer
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
        ReadableByteChannel failing = new ReadableByteChannel() {
            private int pos;

            @Override
            public int read(ByteBuffer dst) throws IOException {
                if (pos == cut) {
                    throw reset;
                }
                int n = Math.min(dst.remaining(), cut - pos);
                dst.put(stream, pos, n);
                pos += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
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
        byte[] headerOnly = Arrays.copyOf(stream, header);
        ReadableByteChannel silent = new ReadableByteChannel() {
            private int pos;

            @Override
            public int read(ByteBuffer dst) throws IOException {
                if (pos == headerOnly.length) {
                    try {
                        Thread.sleep(Long.MAX_VALUE); // a peer that sends nothing more
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                }
                int n = Math.min(dst.remaining(), headerOnly.length - pos);
                dst.put(headerOnly, pos, n);
                pos += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
        StreamReader r = StreamReader.open(silent, Limits.DEFAULT, 2);
        assertTimeoutPreemptively(LIMIT, r::close);
        assertThrows(IllegalStateException.class, r::next, "closed");
    }

    @Test
    void aNegativeFrameCountIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> StreamReader.open(new Wire.Source(new byte[0]), Limits.DEFAULT, -1));
    }
}
