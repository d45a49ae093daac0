/**
 * The xbzrle SPIs. A third-party plugin compiles against this module alone.
 *
 * <p>Each SPI is a pair: a small {@code ...Provider} that {@link java.util.ServiceLoader} finds
 * (public no-arg constructor, a {@code name()} used for selection by configuration) and the object
 * it creates from its own configuration subtree.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.xbzrle.api {
    // Providers are created from a Config subtree, so Config is part of the API.
    requires transitive typesafe.config;

    exports io.xbzrle.api.codec;
    exports io.xbzrle.api.cache;
    exports io.xbzrle.api.cache.support;
    exports io.xbzrle.api.transport;
}
