/**
 * The migration pipeline: memory sources and images, the v1 stream, pre-copy rounds with
 * convergence and verification, the Guice module built from configuration, and plugin discovery
 * (the SPIs' providers found in the boot layer and in one module layer per jar or folder under
 * {@code plugins/}).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.xbzrle.migration {
    requires transitive io.xbzrle.api;
    requires transitive com.google.guice;
    // Guice is an automatic module and cannot require Guava itself (BUILD-NOTES 1).
    requires com.google.common;
    requires jakarta.inject;
    requires java.management; // the migration's MXBean
    // Optional: the machine's memory, for xbzrle.migration.destination-memory = auto.
    requires static jdk.management;

    exports io.xbzrle.migration.plugins;
    exports io.xbzrle.migration.config;
    exports io.xbzrle.migration.memory;
    exports io.xbzrle.migration.stream;
    exports io.xbzrle.migration.pipeline;
    // Guice calls the @Provides methods and the @Inject constructor reflectively.
    opens io.xbzrle.migration.pipeline to com.google.guice;

    uses io.xbzrle.api.codec.CodecProvider;
    uses io.xbzrle.api.cache.PageCacheProvider;
    uses io.xbzrle.api.transport.TransportProvider;
}
