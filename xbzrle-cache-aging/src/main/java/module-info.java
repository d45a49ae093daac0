import io.xbzrle.api.cache.PageCacheProvider;
import io.xbzrle.cache.aging.internal.AgingCacheProvider;

/**
 * The {@code aging} page cache policy: QEMU's direct-mapped cache ({@code migration/page_cache.c}),
 * in which a page used within the last {@code xbzrle.cache.aging.lifetime} dirty syncs is never
 * evicted. Exports nothing: it is used through {@link io.xbzrle.api.cache.PageCacheProvider}.
 */
module io.xbzrle.cache.aging {
    requires io.xbzrle.api;

    provides PageCacheProvider with AgingCacheProvider;
}
