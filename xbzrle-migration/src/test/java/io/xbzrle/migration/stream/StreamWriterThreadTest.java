package io.xbzrle.migration.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
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
        Wire.Gate gate = new Wire.Gate();
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
        // One frame in write, two queued: the record that would open a fourth frame waits, parked
        // in the writer (polled: the state is all there is to wait on).
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!parkedInWriter(caller) && System.nanoTime() < deadline) {
            Thread.yield();
        }
        assertTrue(parkedInWriter(caller), "the caller waits for a free frame buffer");
        assertEquals(3 * PER_FRAME, records.get(), "records accepted before the caller waits");
        gate.open();
        caller.join(LIMIT.toMillis());
        assertEquals(null, failure.get());
        assertEquals(total, records.get());
        assertEquals(gate.written.get(), w.bytesWritten(), "after flush everything queued is written");
        w.close();
    }

    /** Whether the thread is parked waiting for a frame buffer (not merely for the lock). */
    private static boolean parkedInWriter(Thread t) {
        return parkedIn(t, "submit");
    }

    /** Whether the thread is parked on the writer's condition in {@code FrameSender.method}. */
    private static boolean parkedIn(Thread t, String method) {
        if (t.getState() != Thread.State.WAITING) {
            return false;
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals(FrameSender.class.getName()) && e.getMethodName().equals(method)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void anErrorOfTheWritingThreadIsThrownUnchangedByTheNextCall() throws Exception {
        IOException broken = new IOException("connection reset by the peer");
        Wire.FailsAfterHeader ch = new Wire.FailsAfterHeader(broken);
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
        Wire.Gate gate = new Wire.Gate();
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
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!parkedIn(t, "drain") && System.nanoTime() < deadline) {
            Thread.yield();
        }
        assertTrue(parkedIn(t, "drain"), "flush waits while the frame is not written");
        assertEquals(1, flushed.getCount());
        gate.open();
        assertTrue(flushed.await(LIMIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(header + 8 + StreamWriter.ZERO_SIZE, gate.written.get());
        w.close();
    }

    @Test
    void closeReturnsWhileAWriteIsStuckAndTheWriterRefusesMore() throws Exception {
        Wire.Gate gate = new Wire.Gate();
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
        Wire.Gate gate = new Wire.Gate();
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
}
