package io.xbzrle.cache.aging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.xbzrle.api.cache.PageCache;
import io.xbzrle.api.cache.PageCacheProvider;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The provider: found by ServiceLoader, configured from its own subtree. */
final class AgingCacheProviderTest {

    private static final int PAGE = 4096;

    @Test
    void serviceLoaderFindsItByName() {
        getClass().getModule().addUses(PageCacheProvider.class);
        List<PageCacheProvider> providers = ServiceLoader.load(PageCacheProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("aging"))
                .collect(Collectors.toList());
        assertEquals(1, providers.size());
        assertInstanceOf(AgingCacheProvider.class, providers.get(0));
    }

    @Test
    void referenceConfHoldsTheDefaultLifetime() {
        Config reference = ConfigFactory.defaultReference().getConfig(AgingCacheProvider.PATH);
        assertEquals(2, reference.getInt("lifetime"));
        assertEquals(2, AgingCacheProvider.lifetime(reference));
        assertEquals(2, AgingCacheProvider.lifetime(ConfigFactory.empty()), "reference.conf is the fallback");
        assertEquals(5, AgingCacheProvider.lifetime(ConfigFactory.parseString("lifetime = 5")));
    }

    @Test
    void createsAnEmptyCache() {
        PageCache cache = new AgingCacheProvider().create(PAGE, 64L << 20, ConfigFactory.empty());
        assertEquals(PAGE, cache.pageSize());
        assertEquals(64L << 20, cache.capacityBytes());
        assertEquals(0, cache.stats().pages());
    }

    @Test
    void refusesBadSettings() {
        AgingCacheProvider provider = new AgingCacheProvider();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(PAGE, 1L << 20, ConfigFactory.parseString("lifetime = -1")));
        assertEquals("xbzrle.cache.aging.lifetime must be >= 0, got -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(PAGE, 1L << 20, ConfigFactory.parseString("lifetime = long")));
        assertTrue(e.getMessage().startsWith("xbzrle.cache.aging.lifetime: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(PAGE, 1L << 20, ConfigFactory.parseString("lifetmie = 3")));
        assertEquals("Unknown setting xbzrle.cache.aging.lifetmie; known: lifetime", e.getMessage());
        assertThrows(NullPointerException.class, () -> provider.create(PAGE, 1L << 20, null));
        e = assertThrows(IllegalArgumentException.class,
                () -> provider.create(PAGE, 96L << 20, ConfigFactory.empty()));
        assertTrue(e.getMessage().contains("not a power-of-two number of 4096-byte pages"), e.getMessage());
    }
}
