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
 * Sends some bytes through TLS connections to this process over loopback, on daemon threads, once
 * per transport: the JIT compiles JSSE's record and AES-GCM code before a migration's first round
 * needs it (cold, the first GiB over TLS goes at a third of the later speed). It uses this side's
 * own key and trust stores; if they cannot make such a connection (a certificate only for serving,
 * say), nothing happens. It stops after {@link #TIME_LIMIT_SECONDS} whatever it has sent. Failures
 * are ignored: a migration does not depend on it.
 *
 * <p>The bytes go over {@link #CONNECTIONS} connections one after another, each opened as a
 * migration's is (a full handshake by {@code startHandshake}, then the destination's accept byte),
 * half of them in small records. Measured with one connection whose handshake a read started: the
 * JIT compiled the record decryption without a branch that the migration's own handshake takes,
 * threw the compiled code away at that handshake and compiled it again during the first round
 * (half a second of C2 time on the receiver while it ran slowly); and 256 MiB in full 16 KiB
 * records called the encryption too few times for C2 to compile it at all. Now the handshakes are
 * in the profile the JIT compiles from, and small records reach its call-count thresholds early.
 */
final class TlsWarmUp {
    static final int TIME_LIMIT_SECONDS = 5;
    static final int CONNECTIONS = 16;
    private static final int CHUNK = 256 * 1024;
    private static final int SMALL_WRITE = 4 * 1024;

    private final Tls tls;
    private final long bytes;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile long sent;
    private volatile int connections;
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

    /** Connections read to their end so far, for tests. */
    int connections() {
        return connections;
    }

    private void run() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIME_LIMIT_SECONDS);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        byte[] buffer = new byte[CHUNK];
        byte[] chunk = new byte[CHUNK];
        new SplittableRandom(1).nextBytes(chunk);
        for (int k = 0; k < CONNECTIONS && System.nanoTime() < deadline; k++) {
            long from = bytes * k / CONNECTIONS;
            long to = bytes * (k + 1) / CONNECTIONS;
            // A listener per connection: the client's session cache is keyed by host and port, so
            // every handshake is a full one, as the migration's own is (a resumed one would leave
            // the full handshake's branches out of the profile).
            try (ServerSocket server = new ServerSocket(0, 1, loopback)) {
                server.setSoTimeout(TIME_LIMIT_SECONDS * 1000);
                int port = server.getLocalPort();
                // Every other connection writes small records: the record code is called often
                // enough for the JIT's thresholds, and full records are in the profile too.
                int size = k % 2 == 0 ? SMALL_WRITE : CHUNK;
                Thread writer = new Thread(() -> write(loopback, port, chunk, from, to, size, deadline),
                        "xbzrle-tls-warm-up-writer");
                writer.setDaemon(true);
                writer.setPriority(Thread.MIN_PRIORITY);
                writer.start();
                try (Socket raw = server.accept()) {
                    raw.setSoTimeout(TIME_LIMIT_SECONDS * 1000);
                    SSLSocket ssl = tls.server(raw);
                    // The migration's own exchange: handshake, then the destination's accept byte.
                    ssl.startHandshake();
                    ssl.getOutputStream().write(TcpTransport.ACCEPTED);
                    ssl.getOutputStream().flush();
                    InputStream in = ssl.getInputStream();
                    while (in.read(buffer) >= 0 && System.nanoTime() < deadline) {
                        // Only the decryption matters.
                    }
                }
                connections = k + 1;
            } catch (IOException | RuntimeException e) {
                return; // a warm-up that cannot run changes nothing but the first round's speed
            }
        }
    }

    /** Sends bytes {@code from} to {@code to} of the warm-up over one connection, {@code size} at a time. */
    private void write(InetAddress loopback, int port, byte[] chunk, long from, long to, int size, long deadline) {
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(loopback, port), TIME_LIMIT_SECONDS * 1000);
            raw.setSoTimeout(TIME_LIMIT_SECONDS * 1000);
            SSLSocket ssl = tls.loopbackClient(raw, port);
            ssl.startHandshake();
            if (ssl.getInputStream().read() != TcpTransport.ACCEPTED) {
                return;
            }
            OutputStream out = ssl.getOutputStream();
            for (long done = from; done < to && System.nanoTime() < deadline; ) {
                int n = (int) Math.min(size, to - done);
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
