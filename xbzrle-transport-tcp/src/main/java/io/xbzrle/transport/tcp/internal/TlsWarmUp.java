package io.xbzrle.transport.tcp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;

/**
 * Sends some bytes through a TLS connection to this process over loopback, on daemon threads, once
 * per transport: the JIT compiles JSSE's record and AES-GCM code before a migration's first round
 * needs it (cold, the first GiB over TLS goes at a third of the later speed). It uses this side's
 * own key and trust stores; if they cannot make such a connection (a certificate only for serving,
 * say), nothing happens. It stops after {@link #TIME_LIMIT_SECONDS} whatever it has sent. Failures
 * are ignored: a migration does not depend on it.
 */
final class TlsWarmUp {
    static final int TIME_LIMIT_SECONDS = 5;
    private static final int CHUNK = 256 * 1024;

    private final Tls tls;
    private final long bytes;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile long sent;
    private volatile Thread reader;

    TlsWarmUp(Tls tls, long bytes) {
        this.tls = tls;
        this.bytes = bytes;
    }

    /** Starts the warm-up unless it has started before or is turned off; returns at once. */
    void startOnce() {
        if (bytes <= 0 || !started.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(this::run, "xbzrle-tls-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        reader = t;
        t.start();
    }

    /** Waits for the warm-up to end, for tests; returns the bytes it sent. */
    long await(long timeout, TimeUnit unit) throws InterruptedException {
        Thread t = reader;
        if (t != null) {
            t.join(unit.toMillis(timeout));
        }
        return sent;
    }

    private void run() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIME_LIMIT_SECONDS);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
            server.setSoTimeout(TIME_LIMIT_SECONDS * 1000);
            Thread writer = new Thread(() -> write(loopback, server.getLocalPort(), deadline), "xbzrle-tls-warm-up-writer");
            writer.setDaemon(true);
            writer.setPriority(Thread.MIN_PRIORITY);
            writer.start();
            try (Socket raw = server.accept()) {
                raw.setSoTimeout(TIME_LIMIT_SECONDS * 1000);
                SSLSocket ssl = tls.server(raw);
                InputStream in = ssl.getInputStream();
                byte[] buffer = new byte[CHUNK];
                while (in.read(buffer) >= 0 && System.nanoTime() < deadline) {
                    // Only the decryption matters.
                }
            }
        } catch (IOException | RuntimeException e) {
            // A warm-up that cannot run changes nothing but the first round's speed.
        }
    }

    private void write(InetAddress loopback, int port, long deadline) {
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(loopback, port), TIME_LIMIT_SECONDS * 1000);
            raw.setSoTimeout(TIME_LIMIT_SECONDS * 1000);
            SSLSocket ssl = tls.loopbackClient(raw, port);
            OutputStream out = ssl.getOutputStream();
            byte[] chunk = new byte[CHUNK];
            new SplittableRandom(1).nextBytes(chunk);
            long done = 0;
            while (done < bytes && System.nanoTime() < deadline) {
                int n = (int) Math.min(CHUNK, bytes - done);
                out.write(chunk, 0, n);
                done += n;
                sent = done;
            }
            ssl.shutdownOutput();
        } catch (IOException | RuntimeException e) {
            // See run().
        }
    }
}
