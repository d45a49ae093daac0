package io.xbzrle.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xbzrle.api.transport.Connection;
import io.xbzrle.api.transport.Listener;
import io.xbzrle.api.transport.PeerSetupException;
import io.xbzrle.api.transport.TransportException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 90, unit = TimeUnit.SECONDS)
final class TlsTest {
    private static final long GIB = 1L << 30;

    @TempDir
    static Path dir;
    static TestCertificates certificates;
    static ExecutorService executor;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certificates = TestCertificates.create(dir);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tls-test-peer");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stopPeers() {
        executor.shutdownNow();
    }

    private static TcpTransport tls(Path keyStore, Map<String, Object> more) {
        Map<String, Object> settings = new HashMap<>(more);
        settings.put("tls.enabled", true);
        settings.put("tls.key-store", keyStore.toString());
        settings.put("tls.key-store-password", TestCertificates.PASSWORD);
        settings.put("tls.trust-store", certificates.trust.toString());
        settings.put("tls.trust-store-password", TestCertificates.PASSWORD);
        settings.putIfAbsent("tls.warm-up", 0); // the tests measure nothing; warmUpSendsItsBytes runs it
        return Transports.tcp(settings);
    }

    @Test
    void warmUpSendsItsBytesThroughLoopbackConnectionsOnceAtTheFirstListen() throws Exception {
        TcpTransport transport = tls(certificates.node, Map.of("tls.warm-up", "8m"));
        TlsWarmUp warmUp = transport.warmUp().orElseThrow();
        assertEquals(0, warmUp.await(1, TimeUnit.MILLISECONDS), "not before the first connect or listen");
        try (Listener listener = transport.listen(URI.create("tcp://127.0.0.1:0"))) {
            assertEquals(8L << 20, warmUp.await(30, TimeUnit.SECONDS), "all of it, with this side's own stores");
            // Several handshakes, so that the compiled record code has seen one (see TlsWarmUp).
            assertEquals(TlsWarmUp.CONNECTIONS, warmUp.connections(), "connections, one after another");
        }
        TcpTransport off = tls(certificates.node, Map.of());
        try (Listener listener = off.listen(URI.create("tcp://127.0.0.1:0"))) {
            assertEquals(0, off.warmUp().orElseThrow().await(100, TimeUnit.MILLISECONDS), "warm-up = 0: none");
        }
    }

    @Test
    void oneGibibyteOverTls13ArrivesIntact() throws Exception {
        TcpTransport transport = tls(certificates.node, Map.of());
        try (Listener listener = transport.listen(URI.create("tcp://127.0.0.1:0"))) {
            Future<Long> sent = executor.submit(() -> {
                try (Connection c = transport.connect(listener.address())) {
                    long crc = Streams.write(c.stream(), GIB, 7);
                    c.finish();
                    assertEquals(-1, c.returnPath().orElseThrow().read(ByteBuffer.allocate(1)));
                    return crc;
                }
            });
            try (Connection c = listener.accept()) {
                long[] count = new long[1];
                long crc = Streams.readAll(c.stream(), ByteBuffer.allocate(Streams.CHUNK), count);
                c.finish();
                assertEquals(GIB, count[0]);
                assertEquals(sent.get(60, TimeUnit.SECONDS), crc);
            }
        }
    }

    @Test
    void returnPathWorksOverTlsAfterTheSourceFinishes() throws Exception {
        TcpTransport transport = tls(certificates.node, Map.of());
        try (Listener listener = transport.listen(URI.create("tcp://localhost:0"))) {
            Future<byte[]> answer = executor.submit(() -> {
                try (Connection c = transport.connect(listener.address())) {
                    c.stream().write(ByteBuffer.wrap(new byte[] {1, 2}));
                    c.finish();
                    return Streams.readExactly(c.returnPath().orElseThrow(), 1);
                }
            });
            try (Connection c = listener.accept()) {
                assertArrayEquals(new byte[] {1, 2}, Streams.readExactly(c.stream(), 2));
                assertEquals(-1, c.stream().read(ByteBuffer.allocate(1)));
                c.returnPath().orElseThrow().write(ByteBuffer.wrap(new byte[] {9}));
                c.finish();
                assertArrayEquals(new byte[] {9}, answer.get(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void anUntrustedSourceIsRefusedDuringTheHandshakeOnBothSides() throws Exception {
        TcpTransport destination = tls(certificates.node, Map.of());
        TcpTransport source = tls(certificates.rogue, Map.of());
        try (Listener listener = destination.listen(URI.create("tcp://127.0.0.1:0"))) {
            Future<TransportException> refused = executor.submit(
                    () -> assertThrows(TransportException.class, () -> source.connect(listener.address()).close()));
            PeerSetupException accept = assertThrows(PeerSetupException.class, listener::accept);
            assertTrue(accept.getMessage().startsWith(listener.address() + ": TLS handshake with 127.0.0.1:"),
                    accept.getMessage());
            assertTrue(accept.getMessage().contains("peer presented no trusted certificate"), accept.getMessage());
            TransportException connect = refused.get(30, TimeUnit.SECONDS);
            assertTrue(connect.getMessage().startsWith(listener.address() + ": TLS handshake failed: "),
                    connect.getMessage());
            assertTrue(connect.getMessage().contains("peer refused our certificate"), connect.getMessage());

            // The refusal was that peer's alone: the listener takes the next, trusted, source.
            assertTakesTheNextSource(listener, tls(certificates.node, Map.of()));
        }
    }

    @Test
    void aPeerThatIsNotTlsIsRefusedAndTheListenerGoesOn() throws Exception {
        TcpTransport destination = tls(certificates.node, Map.of());
        try (Listener listener = destination.listen(URI.create("tcp://127.0.0.1:0"))) {
            URI at = listener.address();
            try (Socket scanner = new Socket(at.getHost(), at.getPort())) {
                scanner.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                PeerSetupException e = assertThrows(PeerSetupException.class, listener::accept);
                assertTrue(e.getMessage().contains("TLS handshake with 127.0.0.1:"), e.getMessage());
            }
            assertTakesTheNextSource(listener, destination);
        }
    }

    /**
     * Handshakes run apart: a peer that connects and then says nothing holds up no other, the
     * trusted source behind it is accepted at once, not after the stalled one's connect-timeout.
     */
    @Test
    void aStalledHandshakeHoldsUpNoOtherSource() throws Exception {
        TcpTransport destination = tls(certificates.node, Map.of("connect-timeout", "20s"));
        try (Listener listener = destination.listen(URI.create("tcp://127.0.0.1:0"));
             Socket stalled = new Socket(listener.address().getHost(), listener.address().getPort())) {
            long t0 = System.nanoTime();
            assertTakesTheNextSource(listener, tls(certificates.node, Map.of()));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 10_000, "accepted in " + ms + " ms, not after the stalled peer's 20 s");
            assertTrue(stalled.isConnected());
        }
    }

    /**
     * A peer that trickles its handshake, a byte at a time within every read's timeout, is cut off
     * at connect-timeout all the same.
     */
    @Test
    void aHandshakeTrickledByteByByteEndsAtConnectTimeout() throws Exception {
        TcpTransport destination = tls(certificates.node, Map.of("connect-timeout", "1s"));
        try (Listener listener = destination.listen(URI.create("tcp://127.0.0.1:0"));
             Socket slow = new Socket(listener.address().getHost(), listener.address().getPort())) {
            ScheduledExecutorService pacer = trickle(slow, new byte[] {0x16, 0x03, 0x01, 0x02, 0x00});
            try {
                long t0 = System.nanoTime();
                PeerSetupException e = assertThrows(PeerSetupException.class, listener::accept);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(e.getMessage().contains("did not finish within 1s (connect-timeout)"), e.getMessage());
                assertTrue(ms < 5_000, "cut off after " + ms + " ms");
            } finally {
                pacer.shutdownNow();
            }
        }
    }

    /** The source's side likewise: a destination that trickles its handshake is given up at connect-timeout. */
    @Test
    void aSourceGivesUpATrickledHandshakeAtConnectTimeout() throws Exception {
        TcpTransport source = tls(certificates.node, Map.of("connect-timeout", "1s"));
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AtomicReference<ScheduledExecutorService> pacer = new AtomicReference<>();
            Future<Socket> accepted = executor.submit(() -> {
                Socket s = fake.accept();
                pacer.set(trickle(s, new byte[] {0x16, 0x03, 0x03, 0x02, 0x00}));
                return s;
            });
            try {
                long t0 = System.nanoTime();
                TransportException e = assertThrows(TransportException.class,
                        () -> source.connect(URI.create("tcp://127.0.0.1:" + fake.getLocalPort())));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(e.getMessage().contains("TLS handshake timed out after 1s"), e.getMessage());
                assertTrue(ms < 5_000, "gave up after " + ms + " ms");
            } finally {
                accepted.get(10, TimeUnit.SECONDS).close();
                pacer.get().shutdownNow();
            }
        }
    }

    /**
     * Writes {@code header} (a TLS record's, announcing 512 bytes), then a byte every 300 ms, each
     * within the other side's read timeout, until the socket fails or the pacer is shut down.
     */
    private static ScheduledExecutorService trickle(Socket s, byte[] header) throws IOException {
        s.getOutputStream().write(header);
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        pacer.scheduleAtFixedRate(() -> {
            try {
                s.getOutputStream().write(1);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // ends the schedule
            }
        }, 300, 300, TimeUnit.MILLISECONDS);
        return pacer;
    }

    /** A source of {@code transport} connects and sends a byte: the listener accepts it and reads it. */
    private static void assertTakesTheNextSource(Listener listener, TcpTransport transport) throws Exception {
        Future<?> sent = executor.submit(() -> {
            try (Connection c = transport.connect(listener.address())) {
                c.stream().write(ByteBuffer.wrap(new byte[] {5}));
                c.finish();
            }
            return null;
        });
        try (Connection c = listener.accept()) {
            assertArrayEquals(new byte[] {5}, Streams.readExactly(c.stream(), 1));
        }
        sent.get(30, TimeUnit.SECONDS);
    }

    @Test
    void anUntrustedDestinationIsRefusedBySource() throws Exception {
        TcpTransport destination = tls(certificates.rogue, Map.of());
        TcpTransport source = tls(certificates.node, Map.of());
        try (Listener listener = destination.listen(URI.create("tcp://127.0.0.1:0"))) {
            Future<TransportException> refused = executor.submit(
                    () -> assertThrows(TransportException.class, listener::accept));
            TransportException connect = assertThrows(TransportException.class,
                    () -> source.connect(listener.address()));
            assertTrue(connect.getMessage().contains("peer presented no trusted certificate"), connect.getMessage());
            TransportException accept = refused.get(30, TimeUnit.SECONDS);
            assertTrue(accept.getMessage().contains("TLS handshake with 127.0.0.1:"), accept.getMessage());
        }
    }

    @Test
    void aPlainSourceIsRefusedByATlsDestination() throws Exception {
        TcpTransport destination = tls(certificates.node, Map.of());
        TcpTransport plain = Transports.tcp(Map.of("io-timeout", "2s"));
        try (Listener listener = destination.listen(URI.create("tcp://127.0.0.1:0"))) {
            Future<TransportException> writer = executor.submit(() -> assertThrows(TransportException.class, () -> {
                try (Connection c = plain.connect(listener.address())) {
                    // Until the refusal reaches this side, not a fixed amount: the destination
                    // may read (and drop) what came before it closes, so 64 MiB could all be taken.
                    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
                    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (System.nanoTime() < until) {
                        c.stream().write(chunk.clear());
                    }
                }
            }));
            TransportException accept = assertThrows(TransportException.class, listener::accept);
            // The destination reads the plain bytes and refuses them; or, when the source gave up
            // first, finds the connection reset under its handshake. Either way no stream is read.
            String m = accept.getMessage();
            assertTrue(m.contains("TLS handshake with 127.0.0.1:")
                    && (m.contains("peer does not speak TLS") || m.contains("reset")), m);
            assertFalse(writer.get(30, TimeUnit.SECONDS).getMessage().isEmpty());
        }
    }

    @Test
    void aHandshakeThatStallsTimesOut() throws Exception {
        TcpTransport source = tls(certificates.node, Map.of("connect-timeout", "300ms"));
        // A plain listener that accepts and never answers the ClientHello.
        try (Listener silent = Transports.tcp(Map.of()).listen(URI.create("tcp://127.0.0.1:0"))) {
            Future<Connection> accepted = executor.submit(silent::accept);
            TransportException e = assertThrows(TransportException.class, () -> source.connect(silent.address()));
            assertEquals(silent.address() + ": TLS handshake timed out after 300ms", e.getMessage());
            accepted.get(10, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void stalledPeersFailTlsReadsAndWritesWithinTheTimeout() throws Exception {
        TcpTransport transport = tls(certificates.node, Map.of("io-timeout", "300ms", "send-buffer", "64k",
                "receive-buffer", "64k"));
        try (Listener listener = transport.listen(URI.create("tcp://127.0.0.1:0"))) {
            Future<Connection> accepted = executor.submit(listener::accept);
            try (Connection source = transport.connect(listener.address());
                    Connection destination = accepted.get(30, TimeUnit.SECONDS)) {
                long start = System.nanoTime();
                TransportException read = assertThrows(TransportException.class,
                        () -> destination.stream().read(ByteBuffer.allocate(1)));
                assertTrue(read.getMessage().contains(": read timed out: the peer sent nothing for 300ms"),
                        read.getMessage());
                ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
                TransportException write = assertThrows(TransportException.class, () -> {
                    for (int i = 0; i < 4096; i++) {
                        source.stream().write(chunk.clear());
                    }
                });
                assertTrue(write.getMessage().startsWith(listener.address() + ": write timed out"), write.getMessage());
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
            }
        }
    }
}
