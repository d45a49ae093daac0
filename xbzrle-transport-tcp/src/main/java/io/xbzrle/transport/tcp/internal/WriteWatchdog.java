package io.xbzrle.transport.tcp.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Fails writes that make no progress. A blocking socket write has no timeout in Java (SO_TIMEOUT
 * covers reads only), so each write to the socket is stamped with its start time and this daemon
 * thread, one per connection, closes the underlying TCP socket when a stamp grows older than the
 * I/O timeout. The blocked write then fails, and the connection reports the stall. Writes are made
 * in chunks of at most {@link TcpConnection#WRITE_CHUNK} bytes, each stamped anew, so a slow but
 * moving peer is not mistaken for a stalled one.
 */
final class WriteWatchdog implements Runnable {
    private final Socket raw;
    private final long timeoutNanos;
    private final long periodNanos;
    private final Thread thread;
    private volatile long writeStart; // System.nanoTime() | 1 while a write is under way, else 0
    private volatile boolean fired;
    private volatile boolean stopped;

    WriteWatchdog(Socket raw, Duration timeout, String name) {
        this.raw = requireNonNull(raw, "raw is null");
        this.timeoutNanos = requireNonNull(timeout, "timeout is null").toNanos();
        this.periodNanos = Math.max(Duration.ofMillis(5).toNanos(),
                Math.min(Duration.ofMillis(250).toNanos(), timeoutNanos / 10));
        this.thread = new Thread(this, requireNonNull(name, "name is null"));
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void begin() {
        writeStart = System.nanoTime() | 1L;
    }

    void end() {
        writeStart = 0L;
    }

    /** Whether this watchdog closed the socket because a write stalled. */
    boolean fired() {
        return fired;
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        while (!stopped) {
            long start = writeStart;
            if (start != 0L && System.nanoTime() - start >= timeoutNanos) {
                fired = true;
                try {
                    raw.close();
                } catch (IOException ignored) {
                    // The writer fails either way; nothing more to do here.
                }
                return;
            }
            LockSupport.parkNanos(this, periodNanos);
        }
    }
}
