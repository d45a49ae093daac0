package io.xbzrle.transport.tcp.internal;

import static java.util.Objects.requireNonNull;

import io.xbzrle.api.transport.Connection;
import io.xbzrle.api.transport.Listener;
import io.xbzrle.api.transport.PeerSetupException;
import io.xbzrle.api.transport.Transport;
import io.xbzrle.api.transport.TransportException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * The {@code tcp} transport. Immutable and thread-safe.
 *
 * <p>With TLS, connection set-up is: TCP connect, TLS handshake with mutual authentication, then
 * the destination writes one byte ({@link #ACCEPTED}) that the source reads before
 * {@code connect()} returns. In TLS 1.3 a client's handshake completes before the server has
 * checked the client's certificate; the byte makes a refusal of the source's certificate fail
 * {@code connect()} itself, with the reason, instead of a later write. Both bounded by
 * {@code connect-timeout}.
 */
final class TcpTransport implements Transport {
    /** Written by the destination once it has authenticated the source (TLS only). */
    static final int ACCEPTED = 0x01;

    private final TcpSettings settings;
    private final Optional<Tls> tls;
    /** Run at the first connect or listen, while the migration sets up. */
    private final Optional<TlsWarmUp> warmUp;
    /** Bounds whole TLS handshakes, both ways, by connect-timeout. */
    private final HandshakeDeadlines deadlines = new HandshakeDeadlines();

    TcpTransport(TcpSettings settings) {
        this.settings = requireNonNull(settings, "settings is null");
        this.tls = settings.tls().enabled() ? Optional.of(Tls.create(settings.tls())) : Optional.empty();
        this.warmUp = tls.map(t -> new TlsWarmUp(t, settings.tls().warmUpBytes()));
    }

    HandshakeDeadlines deadlines() {
        return deadlines;
    }

    /** Whether an accepted socket needs a handshake before it is a connection (TLS). */
    boolean handshakes() {
        return tls.isPresent();
    }

    TcpSettings settings() {
        return settings;
    }

    /** The TLS warm-up, when TLS is on (for tests). */
    Optional<TlsWarmUp> warmUp() {
        return warmUp;
    }

    @Override
    public Connection connect(URI uri) throws TransportException {
        TcpAddress address = TcpAddress.parse(uri, false);
        URI endpoint = address.uri();
        warmUp.ifPresent(TlsWarmUp::startOnce);
        long deadline = System.nanoTime() + settings.connectTimeout().toNanos();
        InetAddress[] candidates;
        try {
            candidates = InetAddress.getAllByName(address.host());
        } catch (UnknownHostException e) {
            throw new TransportException(endpoint, "unknown host '" + address.host() + "'", e);
        }
        IOException last = null;
        for (InetAddress candidate : candidates) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            Socket raw = new Socket();
            try {
                configure(raw);
                raw.connect(new InetSocketAddress(candidate, address.port()), (int) Math.min(left, Integer.MAX_VALUE));
            } catch (IOException e) {
                closeQuietly(raw);
                last = e;
                continue;
            }
            return establish(endpoint, address, raw, deadline);
        }
        if (last == null) {
            last = new SocketTimeoutException();
        }
        String why;
        if (last instanceof SocketTimeoutException) {
            why = "connect timed out after " + TcpSettings.format(settings.connectTimeout());
        } else if (last instanceof ConnectException
                && String.valueOf(last.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("refused")) {
            why = "connection refused";
        } else {
            why = "cannot connect: " + TcpConnection.describe(last);
        }
        throw new TransportException(endpoint, why, last);
    }

    /** TLS handshake (if enabled), then the connection; closes {@code raw} on failure. */
    private Connection establish(URI endpoint, TcpAddress address, Socket raw, long deadline)
            throws TransportException {
        try {
            if (tls.isEmpty()) {
                raw.setSoTimeout(timeoutMillis(settings.ioTimeout().toMillis()));
                return new TcpConnection(endpoint, raw, raw, true, settings.ioTimeout());
            }
            raw.setSoTimeout(timeoutMillis(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            SSLSocket ssl = tls.get().client(raw, address.host(), address.port());
            HandshakeDeadlines.Deadline whole = deadlines.start(raw, deadline - System.nanoTime());
            int answer;
            try {
                ssl.startHandshake();
                answer = ssl.getInputStream().read();
            } catch (SSLException e) {
                if (whole.end()) {
                    throw handshakeTimedOut(endpoint, e);
                }
                throw new TransportException(endpoint, "TLS handshake failed: " + Tls.describe(e, true), e);
            } catch (SocketTimeoutException e) {
                whole.end();
                throw handshakeTimedOut(endpoint, e);
            } catch (IOException e) {
                if (whole.end()) {
                    throw handshakeTimedOut(endpoint, e);
                }
                throw new TransportException(endpoint, "TLS handshake failed: " + TcpConnection.describe(e), e);
            }
            if (whole.end()) {
                throw handshakeTimedOut(endpoint, null); // closed at the deadline as it finished
            }
            if (answer != ACCEPTED) {
                throw new TransportException(endpoint, "TLS handshake failed: the destination closed the "
                        + "connection without accepting it");
            }
            raw.setSoTimeout(timeoutMillis(settings.ioTimeout().toMillis()));
            return new TcpConnection(endpoint, raw, ssl, true, settings.ioTimeout());
        } catch (TransportException e) {
            closeQuietly(raw);
            throw e;
        } catch (IOException e) {
            closeQuietly(raw);
            throw new TransportException(endpoint, "cannot set up the connection: " + TcpConnection.describe(e), e);
        }
    }

    private TransportException handshakeTimedOut(URI endpoint, Throwable cause) {
        return new TransportException(endpoint, "TLS handshake timed out after "
                + TcpSettings.format(settings.connectTimeout()), cause);
    }

    @Override
    public Listener listen(URI uri) throws TransportException {
        TcpAddress address = TcpAddress.parse(uri, true);
        URI endpoint = address.uri();
        warmUp.ifPresent(TlsWarmUp::startOnce);
        InetAddress bindAddress;
        try {
            bindAddress = InetAddress.getByName(address.host());
        } catch (UnknownHostException e) {
            throw new TransportException(endpoint, "unknown host '" + address.host() + "'", e);
        }
        ServerSocket server = null;
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            if (settings.receiveBuffer() > 0) {
                server.setReceiveBufferSize(settings.receiveBuffer());
            }
            server.bind(new InetSocketAddress(bindAddress, address.port()));
            // With TLS the listener's own queue times the wait (handshakes run on threads of their own).
            server.setSoTimeout(settings.acceptTimeout().isZero() || tls.isPresent() ? 0
                    : timeoutMillis(settings.acceptTimeout().toMillis()));
            return new TcpListener(TcpAddress.uri(address.host(), server.getLocalPort()), server, this);
        } catch (IOException e) {
            closeQuietly(server);
            String why = e instanceof BindException ? "cannot listen: " + e.getMessage().toLowerCase(java.util.Locale.ROOT)
                    : "cannot listen: " + TcpConnection.describe(e);
            throw new TransportException(endpoint, why, e);
        }
    }

    /**
     * Sets up an accepted socket: TLS handshake (if enabled), then the connection. Every failure
     * here is the peer's connection's alone: the listener goes on.
     */
    Connection accepted(URI listenAddress, Socket raw) throws PeerSetupException {
        URI peer = TcpAddress.uri((InetSocketAddress) raw.getRemoteSocketAddress());
        String from = peer.getAuthority();
        try {
            configure(raw);
            if (tls.isEmpty()) {
                raw.setSoTimeout(timeoutMillis(settings.ioTimeout().toMillis()));
                return new TcpConnection(peer, raw, raw, false, settings.ioTimeout());
            }
            raw.setSoTimeout(timeoutMillis(settings.connectTimeout().toMillis()));
            SSLSocket ssl = tls.get().server(raw);
            try {
                ssl.startHandshake();
                OutputStream out = ssl.getOutputStream();
                out.write(ACCEPTED);
                out.flush();
            } catch (SSLException e) {
                throw new PeerSetupException(listenAddress, "TLS handshake with " + from + " failed: "
                        + Tls.describe(e, false), e);
            } catch (SocketTimeoutException e) {
                throw new PeerSetupException(listenAddress, "TLS handshake with " + from + " timed out after "
                        + TcpSettings.format(settings.connectTimeout()), e);
            } catch (IOException e) {
                // The peer may drop the connection (refusing our certificate) while we still write.
                throw new PeerSetupException(listenAddress, "TLS handshake with " + from + " failed: "
                        + TcpConnection.describe(e), e);
            }
            raw.setSoTimeout(timeoutMillis(settings.ioTimeout().toMillis()));
            return new TcpConnection(peer, raw, ssl, false, settings.ioTimeout());
        } catch (PeerSetupException e) {
            closeQuietly(raw);
            throw e;
        } catch (IOException e) {
            closeQuietly(raw);
            throw new PeerSetupException(listenAddress, "connection from " + from + " failed during set-up: "
                    + TcpConnection.describe(e), e);
        }
    }

    private void configure(Socket raw) throws SocketException {
        if (settings.sendBuffer() > 0) {
            raw.setSendBufferSize(settings.sendBuffer());
        }
        if (settings.receiveBuffer() > 0 && !raw.isConnected()) {
            raw.setReceiveBufferSize(settings.receiveBuffer());
        }
        raw.setTcpNoDelay(true);
        raw.setKeepAlive(true);
    }

    private static int timeoutMillis(long millis) {
        return (int) Math.max(1, Math.min(millis, Integer.MAX_VALUE));
    }

    static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // Already failing; the first error is the one reported.
            }
        }
    }
}
