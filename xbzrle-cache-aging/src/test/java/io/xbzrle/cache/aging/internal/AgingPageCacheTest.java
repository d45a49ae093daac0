package io.xbzrle.cache.aging.internal;

import io.xbzrle.api.cache.support.PageSlabs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xbzrle.api.cache.CacheStats;
import io.xbzrle.api.cache.PageCache;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The aging policy's rules, one at a time. */
final class AgingPageCacheTest {

    private static final int PAGE = 4096;

    private static byte[] page(long index) {
        byte[] page = new byte[PAGE];
        Arrays.fill(page, (byte) (index * 31 + 7));
        page[0] = (byte) index;
        return page;
    }

    private static byte[] bytes(PageCache cache, long handle) {
        int offset = cache.offset(handle);
        return Arrays.copyOfRange(cache.array(handle), offset, offset + cache.pageSize());
    }

    private static AgingPageCache cache(int pages) {
        return new AgingPageCache(PAGE, (long) pages * PAGE, 2, PageSlabs.DEFAULT_MAX_SLAB_BYTES);
    }

    @Test
    void refusesSizesThatAreNotAPowerOfTwoNumberOfPages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AgingPageCache(PAGE, 100L << 20, 2, PageSlabs.DEFAULT_MAX_SLAB_BYTES));
        assertEquals("aging cache size 100m (104857600 bytes) is not a power-of-two number of 4096-byte pages;"
                + " the nearest valid size is 128m", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cache(4).resize(80L << 20));
        assertTrue(e.getMessage().endsWith("the nearest valid size is 64m"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> cache(4).resize((64L << 20) + 100));
        assertTrue(e.getMessage().endsWith("the nearest valid size is 64m"), e.getMessage());
    }

    @Test
    void refusesSizesSmallerThanOnePage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AgingPageCache(PAGE, 1000, 2, PageSlabs.DEFAULT_MAX_SLAB_BYTES));
        assertEquals("aging cache size 1000 bytes is smaller than one 4096-byte page;"
                + " the smallest valid size is 4k", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> cache(4).resize(0));
    }

    @Test
    void refusedResizeLeavesTheCacheUnchanged() {
        AgingPageCache cache = cache(4);
        cache.put(1, page(1), 0, 0);
        assertThrows(IllegalArgumentException.class, () -> cache.resize(3 * PAGE));
        assertEquals(4 * PAGE, cache.capacityBytes());
        assertEquals(new CacheStats(4 * PAGE, 1, 0, 0, 1, 0, 0), cache.stats());
    }

    @Test
    void checksItsArguments() {
        assertThrows(IllegalArgumentException.class, () -> new AgingPageCache(3000, 3000, 2, 1 << 20));
        assertThrows(IllegalArgumentException.class, () -> new AgingPageCache(PAGE, PAGE, -1, 1 << 20));
        assertThrows(IllegalArgumentException.class, () -> new AgingPageCache(PAGE, PAGE, 2, 3 << 20));
        AgingPageCache cache = cache(4);
        assertThrows(IllegalArgumentException.class, () -> cache.put(-1, page(1), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> cache.lookup(-1, 0));
        assertThrows(NullPointerException.class, () -> cache.put(1, null, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> cache.put(1, page(1), 1, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> cache.put(1, new byte[PAGE - 1], 0, 0));
        assertEquals(new CacheStats(4 * PAGE, 0, 0, 0, 0, 0, 0), cache.stats());
    }

    @Test
    void youngResidentRefusesAnotherPageOfItsSlot() {
        AgingPageCache cache = cache(4);
        assertTrue(cache.put(1, page(1), 0, 10));
        assertFalse(cache.put(5, page(5), 0, 11), "1 is one generation old");
        assertTrue(cache.put(1, page(9), 0, 11), "the same page always overwrites");
        assertFalse(cache.put(5, page(5), 0, 12), "the overwrite refreshed 1");
        assertTrue(cache.put(5, page(5), 0, 13), "1 is two generations old");
        assertEquals(PageCache.MISS, cache.lookup(1, 13));
        assertArrayEquals(page(5), bytes(cache, cache.lookup(5, 13)));
        assertEquals(new CacheStats(4 * PAGE, 1, 1, 1, 3, 1, 2), cache.stats());
    }

    @Test
    void hitRefreshesTheGeneration() {
        AgingPageCache cache = cache(2);
        cache.put(0, page(0), 0, 0);
        assertTrue(cache.lookup(0, 5) >= 0);
        assertFalse(cache.put(2, page(2), 0, 6));
        assertTrue(cache.put(2, page(2), 0, 7));
    }

    @Test
    void lifetimeZeroAlwaysReplaces() {
        AgingPageCache cache = new AgingPageCache(PAGE, PAGE, 0, 1 << 20);
        assertTrue(cache.put(0, page(0), 0, 3));
        assertTrue(cache.put(1, page(1), 0, 3));
        assertEquals(1, cache.stats().evictions());
    }

    @Test
    void removeAndClearKeepTheCounters() {
        AgingPageCache cache = cache(4);
        cache.put(0, page(0), 0, 0);
        cache.put(1, page(1), 0, 0);
        assertTrue(cache.remove(0));
        assertFalse(cache.remove(0));
        assertFalse(cache.remove(5), "5 shares 1's slot but is not cached");
        assertTrue(cache.put(4, page(4), 0, 0), "the slot 0 freed is empty: no age rule");
        cache.clear();
        assertEquals(PageCache.MISS, cache.lookup(1, 0));
        assertEquals(new CacheStats(4 * PAGE, 0, 0, 1, 3, 0, 0), cache.stats());
    }

    @Test
    void pagesSpreadOverSlabs() {
        AgingPageCache cache = new AgingPageCache(PAGE, 16L * PAGE, 2, 4 * PAGE);
        for (int i = 0; i < 16; i++) {
            assertTrue(cache.put(i, page(i), 0, 0));
        }
        for (int i = 0; i < 16; i++) {
            long handle = cache.lookup(i, 0);
            assertEquals(4 * PAGE, cache.array(handle).length);
            assertEquals((i % 4) * PAGE, cache.offset(handle));
            assertArrayEquals(page(i), bytes(cache, handle));
        }
        assertNotSame(cache.array(cache.lookup(0, 0)), cache.array(cache.lookup(4, 0)));
        assertSame(cache.array(cache.lookup(0, 0)), cache.array(cache.lookup(3, 0)));
    }

    @Test
    void growingKeepsEveryPage() {
        AgingPageCache cache = new AgingPageCache(PAGE, 4L * PAGE, 2, 8 * PAGE);
        long[] indexes = {0, 5, 10, 15};
        for (long index : indexes) {
            assertTrue(cache.put(index, page(index), 0, 0));
        }
        cache.resize(32L * PAGE);
        assertEquals(new CacheStats(32 * PAGE, 4, 0, 0, 4, 0, 0), cache.stats());
        for (long index : indexes) {
            long handle = cache.lookup(index, 0);
            assertEquals(index, handle, "re-slotted by the new modulus");
            assertArrayEquals(page(index), bytes(cache, handle));
        }
    }

    @Test
    void shrinkingKeepsTheYoungestOfCollidingPages() {
        AgingPageCache cache = cache(8);
        cache.put(1, page(1), 0, 5);
        cache.put(3, page(3), 0, 2);
        cache.put(5, page(5), 0, 9);
        cache.put(7, page(7), 0, 2);
        cache.put(6, page(6), 0, 1);
        cache.resize(2L * PAGE);
        assertEquals(new CacheStats(2 * PAGE, 2, 0, 0, 5, 3, 0), cache.stats());
        assertArrayEquals(page(5), bytes(cache, cache.lookup(5, 9)));
        assertArrayEquals(page(6), bytes(cache, cache.lookup(6, 9)));
        assertEquals(PageCache.MISS, cache.lookup(1, 9));
        assertEquals(PageCache.MISS, cache.lookup(3, 9));
    }

    @Test
    void resizingToTheSameSizeChangesNothing() {
        AgingPageCache cache = cache(4);
        cache.put(1, page(1), 0, 0);
        long handle = cache.lookup(1, 0);
        byte[] array = cache.array(handle);
        cache.resize(4L * PAGE);
        assertSame(array, cache.array(cache.lookup(1, 0)));
    }
}
