package io.xbzrle.api.transport;

import java.net.URI;

/**
 * One incoming connection could not be set up: its peer failed authentication, did not finish
 * the handshake in time, or dropped the connection during set-up. Thrown by
 * {@link Listener#accept()}; the listener itself is unharmed and the next {@code accept()} waits
 * for the next peer, so a server logs it and goes on.
 */
public final class PeerSetupException extends TransportException {
    private static final long serialVersionUID = 1L;

    /**
     * @param endpoint the listener's address
     * @param message what went wrong, naming the peer
     */
    public PeerSetupException(URI endpoint, String message, Throwable cause) {
        super(endpoint, message, cause);
    }
}
