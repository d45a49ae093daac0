package io.xbzrle.transport.tcp.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;
import io.xbzrle.api.transport.Connection;
import io.xbzrle.api.transport.Listener;
import io.xbzrle.api.transport.Transport;
import io.xbzrle.api.transport.TransportException;
import io.xbzrle.api.transport.TransportProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class TcpTransportTest {
    private static final long GIB = 1L << 30;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tcp-test-peer");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void stopPeers() {
        executor.shutdownNow();
    }

    @Test
    void serviceLoaderFindsTheTcpTransport() {
        getClass().getModule().addUses(TransportProvider.class);
        TransportProvider provider = ServiceLoader.load(TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.scheme().equals("tcp"))
                .findFirst().orElseThrow();
        assertTrue(provider.create(ConfigFactory.empty()) instanceof TcpTransport);
    }

    @Test
    void oneGibibyteOverLoopbackArrivesIntact() throws Exception {
        TcpTransport transport = Transports.tcp(Map.of());
        try (Listener listener = transport.listen(URI.create("tcp://127.0.0.1:0"))) {
            Future<Long> sent = executor.submit(() -> {
                try (Connection c = transport.connect(listener.address())) {
                    long crc = Streams.write(c.stream(), GIB, 42);
                    c.finish();
                    return crc;
                }
            });
            try (Connection c = listener.accept()) {
                long[] count = new long[1];
                long crc = Streams.readAll(c.stream(), ByteBuffer.allocate(Streams.CHUNK), count);
                assertEquals(GIB, count[0]);
                assertEquals(sent.get(30, TimeUnit.SECONDS), crc);
            }
        }
    }

    @Test
    void returnPathCarriesTheAnswerAfterTheStreamIsFinished() throws Exception {
        TcpTransport transport = Transports.tcp(Map.of());
        try (Listener listener = transport.listen(URI.create("tcp://localhost:0"))) {
            assertTrue(listener.address().getPort() > 0, listener.address().toString());
            Future<String> answer = executor.submit(() -> {
                try (Connection c = transport.connect(listener.address())) {
                    c.stream().write(ByteBuffer.wrap("pages".getBytes(UTF_8)));
                    c.finish();
                    assertThrows(NonWritableChannelException.class,
                            () -> c.returnPath().orElseThrow().write(ByteBuffer.allocate(1)));
                    byte[] reply = Streams.readExactly(c.returnPath().orElseThrow(), 2);
                    assertEquals(-1, c.returnPath().orElseThrow().read(ByteBuffer.allocate(1)));
                    return new String(reply, UTF_8);
                }
            });
            try (Connection c = listener.accept()) {
                assertThrows(NonWritableChannelException.class, () -> c.stream().write(ByteBuffer.allocate(1)));
                assertThrows(NonReadableChannelException.class,
                        () -> c.returnPath().orElseThrow().read(ByteBuffer.allocate(1)));
                // A direct buffer goes through the copy path.
                ByteBuffer direct = ByteBuffer.allocateDirect(16);
                long[] count = new long[1];
                Streams.readAll(c.stream(), direct, count);
                assertEquals(5, count[0]);
                c.returnPath().orElseThrow().write(ByteBuffer.allocateDirect(2).put("ok".getBytes(UTF_8)).flip());
                c.finish();
                assertEquals("ok", answer.get(10, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void ipv6LoopbackLiteral() throws Exception {
        assumeTrue(ipv6LoopbackWorks(), "this machine has no IPv6 loopback");
        TcpTransport transport = Transports.tcp(Map.of());
        try (Listener listener = transport.listen(URI.create("tcp://[::1]:0"))) {
            assertTrue(listener.address().toString().startsWith("tcp://[::1]:"), listener.address().toString());
            Future<?> source = executor.submit(() -> {
                try (Connection c = transport.connect(listener.address())) {
                    c.stream().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                    c.finish();
                }
                return null;
            });
            try (Connection c = listener.accept()) {
                assertArrayEquals(new byte[] {1, 2, 3}, Streams.readExactly(c.stream(), 3));
                assertTrue(c.endpoint().toString().startsWith("tcp://[0:0:0:0:0:0:0:1]:"), c.endpoint().toString());
            }
            source.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void connectingToAClosedPortIsRefusedNamingTheEndpoint() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        TcpTransport transport = Transports.tcp(Map.of());
        URI uri = URI.create("tcp://127.0.0.1:" + port);
        long start = System.nanoTime();
        TransportException e = assertThrows(TransportException.class, () -> transport.connect(uri));
        assertEquals("tcp://127.0.0.1:" + port + ": connection refused", e.getMessage());
        assertEquals(uri, e.endpoint());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void aStalledSourceFailsTheDestinationsReadWithinTheTimeout() throws Exception {
        TcpTransport transport = Transports.tcp(Map.of("io-timeout", "300ms"));
        try (Listener listener = transport.listen(URI.create("tcp://127.0.0.1:0"));
                Socket silent = new Socket()) {
            silent.connect(new InetSocketAddress("127.0.0.1", listener.address().getPort()), 5000);
            try (Connection c = listener.accept()) {
                long start = System.nanoTime();
                TransportException e = assertThrows(TransportException.class,
                        () -> c.stream().read(ByteBuffer.allocate(10)));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(ms >= 250 && ms < 5000, ms + " ms");
                assertTrue(e.getMessage().startsWith(c.endpoint() + ": read timed out"), e.getMessage());
                assertTrue(e.getMessage().contains("300ms"), e.getMessage());
            }
        }
    }

    @Test
    void aStalledDestinationFailsTheSourcesWriteWithinTheTimeout() throws Exception {
        TcpTransport transport = Transports.tcp(Map.of("io-timeout", "300ms", "send-buffer", "64k"));
        try (ServerSocket server = new ServerSocket()) {
            server.setReceiveBufferSize(64 * 1024);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            URI uri = URI.create("tcp://127.0.0.1:" + server.getLocalPort());
            try (Connection c = transport.connect(uri); Socket neverRead = server.accept()) {
                assertTrue(neverRead.isConnected());
                ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
                long start = System.nanoTime();
                TransportException e = assertThrows(TransportException.class, () -> {
                    for (int i = 0; i < 4096; i++) { // bounded: 4 GiB never fit in socket buffers
                        chunk.clear();
                        c.stream().write(chunk);
                    }
                });
                assertTrue(e.getMessage().startsWith(uri + ": write timed out"), e.getMessage());
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
                assertThrows(TransportException.class, c::finish);
            }
        }
    }

    @Test
    void aDestinationThatHangsUpFailsTheSourcesWrite() throws Exception {
        TcpTransport transport = Transports.tcp(Map.of());
        try (Listener listener = transport.listen(URI.create("tcp://127.0.0.1:0"))) {
            CompletableFuture<Void> hungUp = new CompletableFuture<>();
            executor.submit(() -> {
                try (Connection c = listener.accept()) {
                    Streams.readExactly(c.stream(), 1024);
                }
                hungUp.complete(null);
                return null;
            });
            try (Connection c = transport.connect(listener.address())) {
                hungUp.completeOnTimeout(null, 10, TimeUnit.SECONDS);
                c.stream().write(ByteBuffer.allocate(1024));
                hungUp.get();
                ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
                TransportException e = assertThrows(TransportException.class, () -> {
                    for (int i = 0; i < 1024; i++) {
                        chunk.clear();
                        c.stream().write(chunk);
                    }
                });
                assertTrue(e.getMessage().startsWith(listener.address() + ": write failed: connection"),
                        e.getMessage());
            }
        }
    }

    @Test
    void aSourceClosedWithoutFinishIsAnAbortNotAnEnd() throws Exception {
        TcpTransport transport = Transports.tcp(Map.of());
        try (Listener listener = transport.listen(URI.create("tcp://127.0.0.1:0"))) {
            Connection source = transport.connect(listener.address());
            try (Connection c = listener.accept()) {
                source.stream().write(ByteBuffer.wrap(new byte[] {7}));
                assertArrayEquals(new byte[] {7}, Streams.readExactly(c.stream(), 1));
                source.close();
                TransportException e = assertThrows(TransportException.class,
                        () -> c.stream().read(ByteBuffer.allocate(1)));
                assertTrue(e.getMessage().contains("connection reset by the peer"), e.getMessage());
            }
        }
    }

    @Test
    void acceptGivesUpAfterTheAcceptTimeout() throws Exception {
        Transport transport = Transports.tcp(Map.of("accept-timeout", "200ms"));
        try (Listener listener = transport.listen(URI.create("tcp://127.0.0.1:0"))) {
            TransportException e = assertThrows(TransportException.class, listener::accept);
            assertEquals(listener.address() + ": no source connected within 200ms (accept-timeout)", e.getMessage());
        }
    }

    @Test
    void closingTheListenerEndsAWaitingAccept() throws Exception {
        Transport transport = Transports.tcp(Map.of());
        Listener listener = transport.listen(URI.create("tcp://127.0.0.1:0"));
        CompletableFuture<Void> waiting = new CompletableFuture<>();
        Future<TransportException> accept = executor.submit(() -> {
            waiting.complete(null);
            return assertThrows(TransportException.class, listener::accept);
        });
        waiting.get(10, TimeUnit.SECONDS);
        listener.close();
        assertTrue(accept.get(10, TimeUnit.SECONDS).getMessage().endsWith("listener closed"));
    }

    @Test
    void aFullListenQueueTimesTheConnectOut() throws Exception {
        Transport transport = Transports.tcp(Map.of("connect-timeout", "300ms"));
        // A backlog of 1 that is never accepted: once it is full the kernel drops further SYNs.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            URI uri = URI.create("tcp://127.0.0.1:" + full.getLocalPort());
            java.util.List<Connection> queued = new java.util.ArrayList<>();
            TransportException e = null;
            try {
                for (int i = 0; i < 8 && e == null; i++) {
                    try {
                        queued.add(transport.connect(uri));
                    } catch (TransportException t) {
                        e = t;
                    }
                }
            } finally {
                for (Connection c : queued) {
                    c.close();
                }
            }
            assumeTrue(e != null, "this kernel accepted every connection into the queue");
            assertEquals(uri + ": connect timed out after 300ms", e.getMessage());
        }
    }

    @Test
    void refusesUrisThatAreNotTcpHostPort() {
        Transport transport = Transports.tcp(Map.of());
        for (String bad : new String[] {"tcp://host", "tcp:host:4444", "tcp://h:1/path", "tcp://u@h:1", "file:/x"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> transport.connect(URI.create(bad)));
            assertTrue(e.getMessage().startsWith(bad + ":"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> transport.connect(URI.create("tcp://127.0.0.1:0")));
    }

    private static boolean ipv6LoopbackWorks() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
