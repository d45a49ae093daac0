package io.xbzrle.cache.lru.internal;

import io.xbzrle.api.cache.support.PageSlabs;
import com.typesafe.config.Config;
import io.xbzrle.api.cache.PageCache;
import io.xbzrle.api.cache.PageCacheProvider;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The {@code lru} eviction policy: a least-recently-used page cache of any capacity of at least one
 * page. It has no settings of its own.
 */
public final class LruCacheProvider implements PageCacheProvider {

    /** The name configuration selects this policy by. */
    public static final String NAME = "lru";

    /** This provider's configuration subtree. */
    public static final String PATH = "xbzrle.cache.lru";

    /** Creates the provider (ServiceLoader's constructor). */
    public LruCacheProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PageCache create(int pageSize, long capacityBytes, Config config) {
        Objects.requireNonNull(config, "config is null");
        if (!config.root().isEmpty()) {
            throw new IllegalArgumentException("Unknown setting " + PATH + "."
                    + new TreeSet<>(config.root().keySet()).first() + "; " + PATH + " has no settings");
        }
        return new LruPageCache(pageSize, capacityBytes, PageSlabs.DEFAULT_MAX_SLAB_BYTES);
    }
}
