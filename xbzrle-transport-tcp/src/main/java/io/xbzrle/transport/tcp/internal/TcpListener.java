package io.xbzrle.transport.tcp.internal;

import static java.util.Objects.requireNonNull;

import io.xbzrle.api.transport.Connection;
import io.xbzrle.api.transport.Listener;
import io.xbzrle.api.transport.PeerSetupException;
import io.xbzrle.api.transport.TransportException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listening TCP socket. {@link #accept()} waits up to {@code accept-timeout} (0: until closed)
 * and, with TLS, returns only connections whose handshake completed, so a source without a trusted
 * certificate makes {@code accept()} fail with a {@link PeerSetupException} and never yields a
 * connection. Closing from another thread makes a waiting {@code accept()} fail at once.
 *
 * <p>With TLS, handshakes run on threads of their own, fed by an accepting thread started at the
 * first {@code accept()}: {@value #MAX_HANDSHAKES} at once, {@value #QUEUED_HANDSHAKES} more
 * waiting their turn (a peer beyond them is dropped), each closed if it has not finished within
 * {@code connect-timeout}, however slowly its peer sends. A peer that stalls its handshake so
 * holds up no other source. {@code accept-timeout} runs from the first {@code accept()} without a
 * connection, across peers that failed to set one up. Without TLS an accepted socket is a
 * connection at once, on the caller's thread.
 */
final class TcpListener implements Listener {
    static final int MAX_HANDSHAKES = 16;
    static final int QUEUED_HANDSHAKES = 64;
    /** Wakes a waiting accept() when the listener closes or the accepting thread stops. */
    private static final Object WAKE = new Object();

    private final URI address;
    private final ServerSocket server;
    private final TcpTransport transport;
    private volatile boolean closed;
    /** With TLS: set-up connections and peers' failures, in the order they ended. */
    private final BlockingQueue<Object> ready = new LinkedBlockingQueue<>();
    /** Sockets whose handshake runs or waits: closed with the listener. */
    private final Set<Socket> settingUp = ConcurrentHashMap.newKeySet();
    private volatile TransportException broken;
    /** When the wait for a connection began, across failed peers; 0 when none waits. */
    private long waitingSince; // guarded by this
    private ThreadPoolExecutor handshakes; // guarded by this
    private Thread acceptor; // guarded by this

    TcpListener(URI address, ServerSocket server, TcpTransport transport) {
        this.address = requireNonNull(address, "address is null");
        this.server = requireNonNull(server, "server is null");
        this.transport = requireNonNull(transport, "transport is null");
    }

    @Override
    public URI address() {
        return address;
    }

    @Override
    public Connection accept() throws TransportException {
        if (closed) {
            throw new TransportException(address, "listener closed");
        }
        if (!transport.handshakes()) {
            return transport.accepted(address, acceptSocket());
        }
        long timeout = transport.settings().acceptTimeout().toNanos();
        long since = startAccepting();
        try {
            while (true) {
                if (closed) {
                    throw new TransportException(address, "listener closed");
                }
                long left = timeout == 0 ? Long.MAX_VALUE : since + timeout - System.nanoTime();
                if (left <= 0) {
                    throw new TransportException(address, "no source connected within "
                            + TcpSettings.format(transport.settings().acceptTimeout()) + " (accept-timeout)");
                }
                Object next = ready.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                if (next instanceof Connection c) {
                    synchronized (this) {
                        waitingSince = 0;
                    }
                    return c;
                }
                if (next instanceof PeerSetupException e) {
                    throw e; // the wait goes on from the same start at the next accept()
                }
                if (broken != null) {
                    throw broken;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException(address, "interrupted while waiting for a source", e);
        }
    }

    private Socket acceptSocket() throws TransportException {
        try {
            return server.accept();
        } catch (SocketTimeoutException e) {
            throw new TransportException(address, "no source connected within "
                    + TcpSettings.format(transport.settings().acceptTimeout()) + " (accept-timeout)", e);
        } catch (IOException e) {
            if (closed) {
                throw new TransportException(address, "listener closed", e);
            }
            throw new TransportException(address, "accept failed: " + TcpConnection.describe(e), e);
        }
    }

    /** Starts the accepting thread once; returns when the current wait for a connection began. */
    private synchronized long startAccepting() {
        if (waitingSince == 0) {
            waitingSince = System.nanoTime();
        }
        if (acceptor == null) {
            AtomicInteger count = new AtomicInteger();
            handshakes = new ThreadPoolExecutor(MAX_HANDSHAKES, MAX_HANDSHAKES, 30, TimeUnit.SECONDS,
                    new ArrayBlockingQueue<>(QUEUED_HANDSHAKES), r -> daemon(r, "xbzrle-tls-handshake-" + count.incrementAndGet()));
            handshakes.allowCoreThreadTimeOut(true);
            acceptor = daemon(this::acceptLoop, "xbzrle-tcp-accept");
            acceptor.start();
        }
        return waitingSince;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket raw;
            try {
                raw = acceptSocket();
            } catch (TransportException e) {
                broken = e;
                ready.add(WAKE);
                return;
            }
            settingUp.add(raw);
            try {
                handshakes.execute(() -> setUp(raw));
            } catch (RejectedExecutionException e) {
                // As many handshakes as allowed run and wait (or the listener closed): drop this one.
                settingUp.remove(raw);
                TcpTransport.closeQuietly(raw);
                if (!closed) {
                    ready.add(new PeerSetupException(address, "connection from " + peer(raw) + " dropped: "
                            + (MAX_HANDSHAKES + QUEUED_HANDSHAKES) + " TLS handshakes are under way or waiting", e));
                }
            }
        }
    }

    /** The handshake, on a thread of the pool, closed past connect-timeout. */
    private void setUp(Socket raw) {
        HandshakeDeadlines.Deadline deadline = transport.deadlines().start(raw,
                transport.settings().connectTimeout().toNanos());
        Object outcome;
        try {
            outcome = transport.accepted(address, raw);
        } catch (PeerSetupException e) {
            outcome = e;
        } catch (RuntimeException | Error e) {
            TcpTransport.closeQuietly(raw);
            outcome = new PeerSetupException(address, "connection from " + peer(raw) + " failed during set-up: " + e, e);
        } finally {
            settingUp.remove(raw);
        }
        if (deadline.end()) {
            if (outcome instanceof Connection c) {
                TcpTransport.closeQuietly(c); // its socket was closed as it finished
            }
            outcome = new PeerSetupException(address, "TLS handshake with " + peer(raw) + " did not finish within "
                    + TcpSettings.format(transport.settings().connectTimeout()) + " (connect-timeout)",
                    outcome instanceof Throwable t ? t : null);
        }
        ready.add(outcome);
        if (closed) {
            drain(); // no accept() will take it
        }
    }

    private static String peer(Socket raw) {
        return raw.getRemoteSocketAddress() instanceof InetSocketAddress a ? TcpAddress.uri(a).getAuthority()
                : String.valueOf(raw.getRemoteSocketAddress());
    }

    private void drain() {
        for (Object o; (o = ready.poll()) != null; ) {
            if (o instanceof Connection c) {
                TcpTransport.closeQuietly(c);
            }
        }
    }

    @Override
    public void close() throws TransportException {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            throw new TransportException(address, "cannot close listener: " + e.getMessage(), e);
        } finally {
            synchronized (this) {
                if (handshakes != null) {
                    handshakes.shutdownNow();
                }
            }
            for (Socket s : settingUp) {
                TcpTransport.closeQuietly(s); // handshakes under way end at once
            }
            drain();
            ready.add(WAKE);
        }
    }
}
