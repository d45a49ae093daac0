package io.xbzrle.cache.lru.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.xbzrle.api.cache.PageCache;
import io.xbzrle.api.cache.PageCacheProvider;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The provider: found by ServiceLoader, configured from its own (empty) subtree. */
final class LruCacheProviderTest {

    private static final int PAGE = 4096;

    @Test
    void serviceLoaderFindsItByName() {
        getClass().getModule().addUses(PageCacheProvider.class);
        List<PageCacheProvider> providers = ServiceLoader.load(PageCacheProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("lru"))
                .collect(Collectors.toList());
        assertEquals(1, providers.size());
        assertInstanceOf(LruCacheProvider.class, providers.get(0));
    }

    @Test
    void createsAnEmptyCacheFromTheReferenceSubtree() {
        PageCache cache = new LruCacheProvider().create(PAGE, 1L << 20,
                ConfigFactory.defaultReference().getConfig(LruCacheProvider.PATH));
        assertEquals(PAGE, cache.pageSize());
        assertEquals(1L << 20, cache.capacityBytes());
        assertEquals(0, cache.stats().pages());
    }

    @Test
    void refusesBadSettings() {
        LruCacheProvider provider = new LruCacheProvider();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(PAGE, 1L << 20, ConfigFactory.parseString("lifetime = 2")));
        assertEquals("Unknown setting xbzrle.cache.lru.lifetime; xbzrle.cache.lru has no settings", e.getMessage());
        assertThrows(NullPointerException.class, () -> provider.create(PAGE, 1L << 20, null));
        e = assertThrows(IllegalArgumentException.class, () -> provider.create(PAGE, 10, ConfigFactory.empty()));
        assertTrue(e.getMessage().contains("smaller than one 4096-byte page"), e.getMessage());
    }
}
