package io.xbzrle.api.transport;

import java.net.URI;

/**
 * The destination's end: accepts one connection per incoming migration. {@link #accept()} may be
 * called from one thread while another calls {@link #close()}, which makes it fail promptly.
 */
public interface Listener extends AutoCloseable {

    /** The address actually listened on (with the port chosen if the URI asked for port 0). */
    URI address();

    /**
     * Waits for the next connection and sets it up (a handshake, if the transport has one).
     *
     * @throws PeerSetupException if one incoming connection could not be set up (its peer failed
     *     authentication, timed out in the handshake, or dropped it): the listener is still usable
     * @throws TransportException if the listener is closed or broken, or the wait times out; the
     *     message names the endpoint and the cause
     */
    Connection accept() throws TransportException;

    /** Stops listening. Connections already accepted stay open. */
    @Override
    void close() throws TransportException;
}
