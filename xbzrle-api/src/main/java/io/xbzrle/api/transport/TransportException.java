package io.xbzrle.api.transport;

import java.io.IOException;
import java.net.URI;

/**
 * A transport failure: names the endpoint and the cause. {@link PeerSetupException}, thrown by
 * {@link Listener#accept()}, is the one kind after which the thrower is still usable.
 */
public class TransportException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient URI endpoint;

    public TransportException(URI endpoint, String message, Throwable cause) {
        super(endpoint + ": " + message, cause);
        this.endpoint = endpoint;
    }

    public TransportException(URI endpoint, String message) {
        this(endpoint, message, null);
    }

    /** The endpoint concerned. */
    public URI endpoint() {
        return endpoint;
    }
}
