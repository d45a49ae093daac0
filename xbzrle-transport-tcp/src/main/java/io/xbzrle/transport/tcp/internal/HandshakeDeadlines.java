package io.xbzrle.transport.tcp.internal;

import java.net.Socket;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes a socket whose TLS handshake has not finished by its deadline. A read timeout bounds
 * each read only: a peer that sends a byte now and then would hold a handshake for ever. One
 * daemon thread per transport, started when first needed and ended when idle. Thread-safe.
 */
final class HandshakeDeadlines {
    private final ScheduledThreadPoolExecutor timer;

    HandshakeDeadlines() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "xbzrle-tls-handshake-deadline");
            t.setDaemon(true);
            return t;
        });
        timer.setKeepAliveTime(10, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        timer.setRemoveOnCancelPolicy(true);
    }

    /** A handshake on {@code socket} that must finish within {@code nanos}. */
    Deadline start(Socket socket, long nanos) {
        AtomicBoolean passed = new AtomicBoolean();
        ScheduledFuture<?> close = timer.schedule(() -> {
            passed.set(true);
            TcpTransport.closeQuietly(socket);
        }, Math.max(0, nanos), TimeUnit.NANOSECONDS);
        return new Deadline(close, passed);
    }

    /** A pending close; {@link #end()} when the handshake is over, either way. */
    static final class Deadline {
        private final ScheduledFuture<?> close;
        private final AtomicBoolean passed;

        Deadline(ScheduledFuture<?> close, AtomicBoolean passed) {
            this.close = close;
            this.passed = passed;
        }

        /** Cancels the close; returns whether the deadline passed (and the socket was closed). */
        boolean end() {
            close.cancel(false);
            return passed.get();
        }
    }
}
