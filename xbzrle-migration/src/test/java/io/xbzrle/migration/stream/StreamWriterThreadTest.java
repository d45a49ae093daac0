package io.xbzrle.migration.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A writer with frames in flight: back-pressure, errors from its writing thread, close. */
final class StreamWriterThreadTest {
    private static final int PAGE = 64 << 10;
    /** RAW records of 64 KiB pages that fit in one 256 KiB frame. */
    private static final int PER_FRAME = StreamHeader.frameCapacity(PAGE) / (PAGE + StreamWriter.RAW_FIXED);
    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void theCallerWaitsOnceEveryFrameBufferIsQueued() throws Exception {
        Gate gate = new Gate();
        StreamWriter w = StreamWriter.open(gate, Wire.header(PAGE), 2);
        gate.closeGate(); // the header went through; the first frame will block in write
        AtomicInteger records = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        byte[] page = new byte[PAGE];
        int total = 6 * PER_FRAME;
        Thread caller = new Thread(() -> {
            try {
                for (int i = 0; i < total; i++) {
                    w.raw(0, i, page, 0);
                    records.incrementAndGet();
                }
                w.flush();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        caller.start();
        // One frame in write, two queued: the record that would open a fourth frame waits.
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while ((records.get() < 3 * PER_FRAME || caller.getState() != Thread.State.WAITING)
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(100);
        assertEquals(Thread.State.WAITING, caller.getState(), "the caller waits for a free frame buffer");
        assertEquals(3 * PER_FRAME, records.get(), "records accepted before the caller waits");
        gate.open();
        caller.join(LIMIT.toMillis());
        assertEquals(null, failure.get());
        assertEquals(total, records.get());
        assertEquals(gate.written.get(), w.bytesWritten(), "after flush everything queued is written");
        w.close();
    }

    @Test
    void anErrorOfTheWritingThreadIsThrownUnchangedByTheNextCall() throws Exception {
        IOException broken = new IOException("connection reset by the peer");
        Failing ch = new Failing(broken);
        StreamWriter w = StreamWriter.open(ch, Wire.header(PAGE), 2);
        byte[] page = new byte[PAGE];
        IOException thrown = assertThrows(IOException.class, () -> {
            for (int i = 0; i < 1000; i++) {
                w.raw(0, i % 64, page, 0);
            }
            w.flush();
        });
        assertSame(broken, thrown);
        assertThrows(IllegalStateException.class, () -> w.zero(0, 0), "unusable after the failure");
        assertThrows(IllegalStateException.class, w::flush);
        w.close();
    }

    @Test
    void flushWaitsUntilTheChannelHasEverything() throws Exception {
        Gate gate = new Gate();
        StreamWriter w = StreamWriter.open(gate, Wire.header(4096), 1);
        long header = gate.written.get();
        w.zero(0, 0);
        gate.closeGate();
        CountDownLatch flushed = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                w.flush();
                flushed.countDown();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        t.start();
        assertTrue(!flushed.await(200, TimeUnit.MILLISECONDS), "flush returned before the frame was written");
        gate.open();
        assertTrue(flushed.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(header + 8 + StreamWriter.ZERO_SIZE, gate.written.get());
        w.close();
    }

    @Test
    void closeReturnsWhileAWriteIsStuckAndTheWriterRefusesMore() throws Exception {
        Gate gate = new Gate();
        StreamWriter w = StreamWriter.open(gate, Wire.header(4096), 2);
        gate.closeGate();
        w.zero(0, 1);
        Thread flusher = new Thread(() -> {
            try {
                w.flush();
            } catch (IOException | RuntimeException expected) {
                // closed underneath
            }
        });
        flusher.setDaemon(true);
        flusher.start();
        assertTimeoutPreemptively(LIMIT, w::close);
        assertThrows(IllegalStateException.class, () -> w.zero(0, 2));
        gate.open();
    }

    @Test
    void anInterruptedCallerGetsAnInterruptedIoException() throws Exception {
        Gate gate = new Gate();
        StreamWriter w = StreamWriter.open(gate, Wire.header(4096), 1);
        gate.closeGate();
        w.zero(0, 1);
        Thread.currentThread().interrupt();
        try {
            assertThrows(InterruptedIOException.class, w::flush);
            assertTrue(Thread.interrupted(), "the interrupt is kept");
        } finally {
            gate.open();
            w.close();
        }
    }

    @Test
    void aNegativeFrameCountIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> StreamWriter.open(new Wire.Sink(), Wire.header(4096), -1));
    }

    /** A channel whose writes wait while the gate is closed. */
    private static final class Gate implements WritableByteChannel {
        final AtomicInteger written = new AtomicInteger();
        private volatile CountDownLatch latch = new CountDownLatch(0);

        void closeGate() {
            latch = new CountDownLatch(1);
        }

        void open() {
            latch.countDown();
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            try {
                latch.await();
            } catch (InterruptedException e) {
                throw new InterruptedIOException();
            }
            int n = src.remaining();
            src.position(src.limit());
            written.addAndGet(n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** Takes the header, then throws the given exception. */
    private static final class Failing implements WritableByteChannel {
        private final IOException failure;
        private boolean headerDone;

        Failing(IOException failure) {
            this.failure = failure;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (headerDone) {
                throw failure;
            }
            headerDone = true;
            int n = src.remaining();
            src.position(src.limit());
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
