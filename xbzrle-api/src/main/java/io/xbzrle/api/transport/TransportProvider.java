package io.xbzrle.api.transport;

import com.typesafe.config.Config;

/**
 * A transport, found by {@link java.util.ServiceLoader} and selected by the scheme of a URI
 * ({@code tcp://host:port}, {@code file:/path}). Schemes compare case-insensitively.
 *
 * <p>Implementations have a public no-arg constructor, are immutable and thread-safe.
 */
public interface TransportProvider {

    /** The URI scheme this transport answers, lower case, such as {@code tcp}: also its name. */
    String scheme();

    /**
     * Creates the transport.
     *
     * @param config this transport's own configuration subtree ({@code xbzrle.transport.<scheme>}),
     *     never null
     * @throws IllegalArgumentException if a setting is invalid; the message names the setting
     */
    Transport create(Config config);
}
