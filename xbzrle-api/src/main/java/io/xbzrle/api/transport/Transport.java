package io.xbzrle.api.transport;

import java.net.URI;

/**
 * Opens connections for one URI scheme. Thread-safe: several migrations may use one transport.
 */
public interface Transport {

    /**
     * Opens a connection to a destination (the source side).
     *
     * @throws TransportException if the endpoint cannot be reached within the configured timeout;
     *     the message names the endpoint and the cause
     * @throws IllegalArgumentException if the URI is not one this transport understands
     */
    Connection connect(URI uri) throws TransportException;

    /**
     * Starts listening for sources (the destination side). A file transport "listens" by opening
     * the file for reading.
     *
     * @throws TransportException if the endpoint cannot be opened; the message names it
     * @throws IllegalArgumentException if the URI is not one this transport understands
     */
    Listener listen(URI uri) throws TransportException;
}
