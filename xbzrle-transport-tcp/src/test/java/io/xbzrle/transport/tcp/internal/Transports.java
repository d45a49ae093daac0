package io.xbzrle.transport.tcp.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;

/** Test helpers: configurations. */
final class Transports {
    private Transports() {
    }

    /** The module's defaults overridden by {@code overrides} (keys relative to xbzrle.transport.tcp). */
    static Config config(Map<String, ?> overrides) {
        return ConfigFactory.parseMap(overrides)
                .withFallback(ConfigFactory.parseResources(TcpTransportProvider.class, "/reference.conf")
                        .getConfig("xbzrle.transport.tcp"));
    }

    static TcpTransport tcp(Map<String, ?> overrides) {
        return (TcpTransport) new TcpTransportProvider().create(config(overrides));
    }
}
