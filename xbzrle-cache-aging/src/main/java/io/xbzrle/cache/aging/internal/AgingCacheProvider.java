package io.xbzrle.cache.aging.internal;

import io.xbzrle.api.cache.support.PageSlabs;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.xbzrle.api.cache.PageCache;
import io.xbzrle.api.cache.PageCacheProvider;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code aging} eviction policy: QEMU's direct-mapped page cache, in which a page used within
 * the last {@code xbzrle.cache.aging.lifetime} generations is never evicted. The capacity must be
 * a power-of-two number of pages.
 */
public final class AgingCacheProvider implements PageCacheProvider {

    /** The name configuration selects this policy by. */
    public static final String NAME = "aging";

    /** This provider's configuration subtree. */
    public static final String PATH = "xbzrle.cache.aging";

    private static final String LIFETIME = "lifetime";
    private static final Set<String> KEYS = Set.of(LIFETIME);

    /** Creates the provider (ServiceLoader's constructor). */
    public AgingCacheProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PageCache create(int pageSize, long capacityBytes, Config config) {
        Objects.requireNonNull(config, "config is null");
        return new AgingPageCache(pageSize, capacityBytes, lifetime(config), PageSlabs.DEFAULT_MAX_SLAB_BYTES);
    }

    /** Reads {@code lifetime} from the subtree, falling back on this module's reference.conf. */
    static int lifetime(Config config) {
        Set<String> unknown = new TreeSet<>(config.root().keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown setting " + PATH + "." + unknown.iterator().next()
                    + "; known: " + String.join(", ", new TreeSet<>(KEYS)));
        }
        Config merged = config;
        Config reference = ConfigFactory.defaultReference(AgingCacheProvider.class.getClassLoader());
        if (reference.hasPath(PATH)) {
            merged = config.withFallback(reference.getConfig(PATH));
        }
        int lifetime;
        try {
            lifetime = merged.getInt(LIFETIME);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(PATH + "." + LIFETIME + ": " + e.getMessage(), e);
        }
        if (lifetime < 0) {
            throw new IllegalArgumentException(PATH + "." + LIFETIME + " must be >= 0, got " + lifetime);
        }
        return lifetime;
    }
}
