package io.xbzrle.migration.stream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes finished frames to the channel on a thread of its own, so that the migration thread fills
 * the next frame while the channel (TLS encryption, the kernel's copy) takes the last one. A fixed
 * set of frame buffers goes round between the two threads; nothing is allocated per frame.
 *
 * <p>The writing thread stops at the first I/O error and keeps it: the next {@link #submit} or
 * {@link #drain} throws it, unchanged. A stalled channel blocks the writing thread until the
 * channel's own timeout fails the write (or the channel is closed); the migration thread then
 * waits for a free buffer, never for longer than that.
 */
final class FrameSender implements AutoCloseable {
    private final WritableByteChannel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuffer> queued;
    private final ArrayDeque<ByteBuffer> free;
    private final Thread thread;
    /** Guarded by {@link #lock}. */
    private IOException error;
    /** Guarded by {@link #lock}: a frame taken from the queue and not yet written. */
    private boolean writing;
    /** Guarded by {@link #lock}. */
    private boolean stopped;

    /**
     * @param buffers frame buffers to go round, at least 2; one is handed back by the first submit
     */
    FrameSender(WritableByteChannel channel, ByteBuffer[] buffers, String threadName) {
        if (buffers.length < 2) {
            throw new IllegalArgumentException("need at least 2 frame buffers, got " + buffers.length);
        }
        this.channel = channel;
        this.queued = new ArrayDeque<>(buffers.length);
        this.free = new ArrayDeque<>(buffers.length);
        for (ByteBuffer b : buffers) {
            free.add(b);
        }
        this.thread = new Thread(this::writeLoop, threadName);
        thread.setDaemon(true); // a stalled write must not keep the JVM alive; close() ends it
        thread.start();
    }

    /** A buffer to fill before the first {@link #submit}. */
    ByteBuffer first() {
        lock.lock();
        try {
            return free.removeFirst();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Queues a flipped frame for writing and returns a cleared buffer for the next one, waiting
     * while every buffer is queued.
     *
     * @throws IOException the writing thread's failure, or {@link InterruptedIOException}
     */
    ByteBuffer submit(ByteBuffer frame) throws IOException {
        lock.lock();
        try {
            check();
            queued.addLast(frame);
            changed.signalAll();
            while (free.isEmpty()) {
                await();
                check();
            }
            return free.removeFirst().clear();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every queued frame is written. */
    void drain() throws IOException {
        lock.lock();
        try {
            check();
            while (!queued.isEmpty() || writing) {
                await();
                check();
            }
        } finally {
            lock.unlock();
        }
    }

    /** CPU time of the writing thread so far, in nanoseconds (0 where the JVM does not measure it). */
    long cpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long t = threads.isThreadCpuTimeSupported() ? threads.getThreadCpuTime(thread.getId()) : -1;
        return Math.max(0, t);
    }

    /**
     * Stops the writing thread; frames still queued are dropped. Waits a moment for a write in
     * progress, which ends when the channel fails or is closed.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            stopped = true;
            queued.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void check() throws IOException {
        if (error != null) {
            throw error;
        }
        if (stopped) {
            throw new IllegalStateException("the frame sender is closed");
        }
    }

    private void await() throws InterruptedIOException {
        try {
            changed.await();
        } catch (InterruptedException e) {
            throw Io.interrupted("the stream to be written", e);
        }
    }

    private void writeLoop() {
        while (true) {
            ByteBuffer frame;
            lock.lock();
            try {
                while (queued.isEmpty() && !stopped) {
                    changed.awaitUninterruptibly();
                }
                if (stopped) {
                    return;
                }
                frame = queued.removeFirst();
                writing = true;
            } finally {
                lock.unlock();
            }
            IOException failure = null;
            try {
                while (frame.hasRemaining()) {
                    channel.write(frame);
                }
            } catch (IOException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = new IOException("the stream channel failed: " + e, e);
            }
            lock.lock();
            try {
                writing = false;
                free.addLast(frame);
                if (failure != null) {
                    error = failure;
                    queued.clear();
                }
                changed.signalAll();
                if (failure != null) {
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
