package io.xbzrle.migration.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads and checks frames ahead on a thread of its own, so that the channel's work (TLS decryption,
 * the kernel's copy) and the CRC overlap the records being applied. A fixed set of frame buffers
 * goes round between the two threads.
 *
 * <p>A fault (a bad frame, the end of the stream, a channel error) is queued in its place in the
 * stream and the reading thread stops: the consumer gets it, unchanged, when it asks for that
 * frame, and never sooner. The reading thread may read past the frame that ends the stream; it
 * stops at end-of-stream or when {@link #close()} is called (a read blocked on the channel ends
 * when the channel is closed).
 */
final class FrameReceiver implements AutoCloseable {
    /** A frame read ahead, or the fault met in its place. */
    record Frame(ByteBuffer buffer, int size, long end, Throwable fault) {
    }

    private final FrameInput input;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Frame> ready;
    private final ArrayDeque<ByteBuffer> free;
    private final Thread thread;
    /** Guarded by {@link #lock}. */
    private boolean stopped;
    /** Guarded by {@link #lock}: the fault handed out, handed out again on every later call. */
    private Throwable fault;

    FrameReceiver(FrameInput input, ByteBuffer[] buffers, String threadName) {
        if (buffers.length < 2) {
            throw new IllegalArgumentException("need at least 2 frame buffers, got " + buffers.length);
        }
        this.input = input;
        this.ready = new ArrayDeque<>(buffers.length + 1);
        this.free = new ArrayDeque<>(buffers.length);
        for (ByteBuffer b : buffers) {
            free.add(b);
        }
        this.thread = new Thread(this::readLoop, threadName);
        thread.setDaemon(true); // a read blocked on a silent peer must not keep the JVM alive
        thread.start();
    }

    /**
     * Takes the next frame, giving back the buffer of the one before (which the caller stops using).
     *
     * @param done the previous frame's buffer, or null for the first call
     * @return the buffer holding the frame's payload (from index 0) and its CRC
     * @throws IOException the fault met in the frame's place, unchanged
     */
    Frame next(ByteBuffer done) throws IOException {
        lock.lock();
        try {
            if (done != null) {
                free.addLast(done);
                changed.signalAll();
            }
            while (ready.isEmpty()) {
                if (fault != null) {
                    throw rethrow(fault);
                }
                if (stopped) {
                    throw new IllegalStateException("the frame receiver is closed");
                }
                try {
                    changed.await();
                } catch (InterruptedException e) {
                    throw Io.interrupted("the stream", e);
                }
            }
            Frame f = ready.removeFirst();
            if (f.fault() != null) {
                fault = f.fault();
                throw rethrow(fault);
            }
            return f;
        } finally {
            lock.unlock();
        }
    }

    private static IOException rethrow(Throwable t) {
        if (t instanceof IOException io) {
            return io;
        }
        throw (RuntimeException) t;
    }

    /** Stops the reading thread; frames read ahead are dropped. Does not wait for a blocked read. */
    @Override
    public void close() {
        lock.lock();
        try {
            stopped = true;
            ready.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void readLoop() {
        while (true) {
            ByteBuffer buffer;
            lock.lock();
            try {
                while (free.isEmpty() && !stopped) {
                    changed.awaitUninterruptibly();
                }
                if (stopped) {
                    return;
                }
                buffer = free.removeFirst();
            } finally {
                lock.unlock();
            }
            Frame frame;
            try {
                int size = input.read(buffer);
                frame = new Frame(buffer, size, input.offset(), null);
            } catch (IOException | RuntimeException e) {
                frame = new Frame(null, 0, input.offset(), e);
            }
            lock.lock();
            try {
                if (stopped) {
                    return;
                }
                ready.addLast(frame);
                changed.signalAll();
                if (frame.fault() != null) {
                    return;
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
