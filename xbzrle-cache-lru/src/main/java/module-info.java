import io.xbzrle.api.cache.PageCacheProvider;
import io.xbzrle.cache.lru.internal.LruCacheProvider;

/**
 * The {@code lru} page cache policy: least recently used, bounded by bytes. Exports nothing: it is
 * used through {@link io.xbzrle.api.cache.PageCacheProvider}.
 */
module io.xbzrle.cache.lru {
    requires io.xbzrle.api;

    provides PageCacheProvider with LruCacheProvider;
}
