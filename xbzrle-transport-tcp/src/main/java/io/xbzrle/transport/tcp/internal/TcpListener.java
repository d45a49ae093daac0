package io.xbzrle.transport.tcp.internal;

import static java.util.Objects.requireNonNull;

import io.xbzrle.api.transport.Connection;
import io.xbzrle.api.transport.Listener;
import io.xbzrle.api.transport.TransportException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;

/**
 * A listening TCP socket. {@link #accept()} waits up to {@code accept-timeout} (0: until closed)
 * and, with TLS, completes the handshake before returning, so a source without a trusted
 * certificate makes {@code accept()} fail and never yields a connection. Closing from another
 * thread makes a waiting {@code accept()} fail at once.
 */
final class TcpListener implements Listener {
    private final URI address;
    private final ServerSocket server;
    private final TcpTransport transport;
    private volatile boolean closed;

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
        Socket raw;
        try {
            raw = server.accept();
        } catch (SocketTimeoutException e) {
            throw new TransportException(address, "no source connected within "
                    + TcpSettings.format(transport.settings().acceptTimeout()) + " (accept-timeout)", e);
        } catch (IOException e) {
            if (closed) {
                throw new TransportException(address, "listener closed", e);
            }
            throw new TransportException(address, "accept failed: " + TcpConnection.describe(e), e);
        }
        return transport.accepted(address, raw);
    }

    @Override
    public void close() throws TransportException {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            throw new TransportException(address, "cannot close listener: " + e.getMessage(), e);
        }
    }
}
