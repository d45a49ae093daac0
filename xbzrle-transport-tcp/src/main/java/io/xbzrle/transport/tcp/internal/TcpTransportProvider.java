package io.xbzrle.transport.tcp.internal;

import com.typesafe.config.Config;
import io.xbzrle.api.transport.Transport;
import io.xbzrle.api.transport.TransportProvider;

/**
 * The {@code tcp} transport's provider, found by {@link java.util.ServiceLoader}: answers
 * {@code tcp://host:port} URIs. {@link #create(Config)} takes the {@code xbzrle.transport.tcp}
 * subtree, reads and checks every setting, and with TLS enabled loads the key and trust stores,
 * so configuration mistakes fail at start-up naming the key.
 */
public final class TcpTransportProvider implements TransportProvider {

    /** For {@link java.util.ServiceLoader}. */
    public TcpTransportProvider() {
        // Stateless.
    }

    @Override
    public String scheme() {
        return "tcp";
    }

    @Override
    public Transport create(Config config) {
        return new TcpTransport(TcpSettings.from(config));
    }
}
