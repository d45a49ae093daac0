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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listening TCP socket. {@link #accept()} waits up to {@code accept-timeout} (0: until closed)
 * and, with TLS, returns only connections whose handshake completed, so a source without a trusted
 * certificate makes {@code accept()} fail with a {@link PeerSetupException} and never yields a
 * connection. Closing from another thread makes a waiting {@code accept()} fail at once.
 *
 * <p>With TLS, handshakes run on threads of their own ({@value #MAX_HANDSHAKES} at most at once;
 * a peer beyond them is dropped), fed by an accepting thread started at the first
 * {@code accept()}: a peer that stalls its handshake holds up no other, for at most
 * {@code connect-timeout} it holds a handshake thread. Without TLS an accepted socket is a
 * connection at once, on the caller's thread.
 */
final class TcpListener implements Listener {
    static final int MAX_HANDSHAKES = 16;
    /** How often a waiting accept() looks at whether the listener broke or closed. */
    private static final long CHECK_MILLIS = 100;

    private final URI address;
    private final ServerSocket server;
    private final TcpTransport transport;
    private volatile boolean closed;
    /** With TLS: set-up connections and peers' failures, in the order they ended; then why accepting stopped. */
    private final BlockingQueue<Object> ready = new LinkedBlockingQueue<>();
    private volatile TransportException broken;
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
        startAccepting();
        long timeout = transport.settings().acceptTimeout().toNanos();
        long deadline = System.nanoTime() + timeout;
        try {
            while (true) {
                Object next = ready.poll(CHECK_MILLIS, TimeUnit.MILLISECONDS);
                if (next instanceof Connection c) {
                    return c;
                }
                if (next instanceof TransportException e) {
                    throw e;
                }
                if (closed) {
                    throw new TransportException(address, "listener closed");
                }
                if (broken != null) {
                    throw broken;
                }
                if (timeout > 0 && System.nanoTime() - deadline > 0) {
                    throw new TransportException(address, "no source connected within "
                            + TcpSettings.format(transport.settings().acceptTimeout()) + " (accept-timeout)");
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

    private synchronized void startAccepting() {
        if (acceptor != null) {
            return;
        }
        AtomicInteger count = new AtomicInteger();
        handshakes = new ThreadPoolExecutor(0, MAX_HANDSHAKES, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "xbzrle-tls-handshake-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        acceptor = new Thread(this::acceptLoop, "xbzrle-tcp-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket raw;
            try {
                raw = acceptSocket();
            } catch (TransportException e) {
                broken = e;
                return;
            }
            try {
                handshakes.execute(() -> setUp(raw));
            } catch (RejectedExecutionException e) {
                // As many handshakes as allowed are under way (or the listener closed): drop this one.
                TcpTransport.closeQuietly(raw);
                if (!closed) {
                    ready.add(new PeerSetupException(address, "connection from "
                            + TcpAddress.uri((InetSocketAddress) raw.getRemoteSocketAddress()).getAuthority()
                            + " dropped: " + MAX_HANDSHAKES + " TLS handshakes are under way", e));
                }
            }
        }
    }

    private void setUp(Socket raw) {
        Object outcome;
        try {
            outcome = transport.accepted(address, raw);
        } catch (PeerSetupException e) {
            outcome = e;
        }
        ready.add(outcome);
        if (closed) {
            drain(); // no accept() will take it
        }
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
                    handshakes.shutdown(); // running handshakes end within connect-timeout; their connections are closed
                }
            }
            drain();
        }
    }
}
