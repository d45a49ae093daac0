/**
 * The migration pipeline and plugin discovery: the SPIs' providers found in the boot layer and in
 * one module layer per jar or folder under {@code plugins/}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.xbzrle.migration {
    requires transitive io.xbzrle.api;

    exports io.xbzrle.migration.plugins;
    exports io.xbzrle.migration.config;
    exports io.xbzrle.migration.memory;
    exports io.xbzrle.migration.stream;

    uses io.xbzrle.api.codec.CodecProvider;
    uses io.xbzrle.api.cache.PageCacheProvider;
    uses io.xbzrle.api.transport.TransportProvider;
}
