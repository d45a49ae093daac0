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
     * Waits for the next connection.
     *
     * @throws TransportException if the listener is closed, the wait times out, or the peer fails
     *     authentication; the message names the endpoint and the cause
     */
    Connection accept() throws TransportException;

    /** Stops listening. Connections already accepted stay open. */
    @Override
    void close() throws TransportException;
}
