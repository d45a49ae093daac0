package io.xbzrle.cache.lru.internal;

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

/** The LRU policy's rules, one at a time. */
final class LruPageCacheTest {

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

    private static LruPageCache cache(int pages) {
        return new LruPageCache(PAGE, (long) pages * PAGE, PageSlabs.DEFAULT_MAX_SLAB_BYTES);
    }

    @Test
    void refusesSizesSmallerThanOnePage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LruPageCache(PAGE, 1000, PageSlabs.DEFAULT_MAX_SLAB_BYTES));
        assertEquals("lru cache size 1000 bytes is smaller than one 4096-byte page;"
                + " the smallest valid size is 4k", e.getMessage());
        LruPageCache cache = cache(2);
        assertThrows(IllegalArgumentException.class, () -> cache.resize(PAGE - 1));
        assertEquals(2L * PAGE, cache.capacityBytes());
    }

    @Test
    void anySizeOfAtLeastOnePageWorks() {
        LruPageCache cache = new LruPageCache(PAGE, 3L * PAGE + 100, PageSlabs.DEFAULT_MAX_SLAB_BYTES);
        for (int i = 0; i < 4; i++) {
            cache.put(i, page(i), 0, 0);
        }
        assertEquals(new CacheStats(3L * PAGE + 100, 3, 0, 0, 4, 1, 0), cache.stats());
    }

    @Test
    void checksItsArguments() {
        assertThrows(IllegalArgumentException.class, () -> new LruPageCache(3000, 3000, 1 << 20));
        assertThrows(IllegalArgumentException.class, () -> new LruPageCache(PAGE, PAGE, 3 << 20));
        LruPageCache cache = cache(4);
        assertThrows(IllegalArgumentException.class, () -> cache.put(-1, page(1), 0, 0));
        assertThrows(IllegalArgumentException.class, () -> cache.lookup(-1, 0));
        assertThrows(NullPointerException.class, () -> cache.put(1, null, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> cache.put(1, page(1), 1, 0));
        assertEquals(new CacheStats(4 * PAGE, 0, 0, 0, 0, 0, 0), cache.stats());
    }

    @Test
    void evictsTheLeastRecentlyUsed() {
        LruPageCache cache = cache(3);
        cache.put(1, page(1), 0, 0);
        cache.put(2, page(2), 0, 0);
        cache.put(3, page(3), 0, 0);
        assertTrue(cache.lookup(1, 0) >= 0, "1 is now the most recent");
        cache.put(2, page(2), 0, 0);
        cache.put(4, page(4), 0, 0);
        assertEquals(PageCache.MISS, cache.lookup(3, 0));
        for (long index : new long[] {1, 2, 4}) {
            assertArrayEquals(page(index), bytes(cache, cache.lookup(index, 0)));
        }
        assertEquals(new CacheStats(3 * PAGE, 3, 4, 1, 5, 1, 0), cache.stats());
    }

    @Test
    void removeAndClearKeepTheCounters() {
        LruPageCache cache = cache(2);
        cache.put(1, page(1), 0, 0);
        cache.put(2, page(2), 0, 0);
        assertTrue(cache.remove(1));
        assertFalse(cache.remove(1));
        cache.put(3, page(3), 0, 0);
        assertEquals(0, cache.stats().evictions(), "the removed page's slot was free");
        cache.clear();
        assertEquals(PageCache.MISS, cache.lookup(2, 0));
        assertEquals(new CacheStats(2 * PAGE, 0, 0, 1, 3, 0, 0), cache.stats());
        cache.put(4, page(4), 0, 0);
        assertArrayEquals(page(4), bytes(cache, cache.lookup(4, 0)));
    }

    @Test
    void pagesSpreadOverSlabs() {
        LruPageCache cache = new LruPageCache(PAGE, 10L * PAGE, 4 * PAGE);
        for (int i = 0; i < 10; i++) {
            cache.put(100 + i, page(i), 0, 0);
        }
        assertEquals(2 * PAGE, cache.array(cache.lookup(109, 0)).length, "the last slab holds what is left");
        assertNotSame(cache.array(cache.lookup(100, 0)), cache.array(cache.lookup(104, 0)));
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(page(i), bytes(cache, cache.lookup(100 + i, 0)));
        }
    }

    @Test
    void shrinkingKeepsTheMostRecentAndGrowingKeepsAll() {
        LruPageCache cache = new LruPageCache(PAGE, 8L * PAGE, 2 * PAGE);
        for (int i = 0; i < 8; i++) {
            cache.put(i, page(i), 0, 0);
        }
        cache.lookup(0, 0);
        cache.lookup(7, 0);
        cache.resize(3L * PAGE);
        assertEquals(new CacheStats(3 * PAGE, 3, 2, 0, 8, 5, 0), cache.stats());
        for (long index : new long[] {6, 0, 7}) {
            assertArrayEquals(page(index), bytes(cache, cache.lookup(index, 0)));
        }
        cache.resize(9L * PAGE);
        for (int i = 10; i < 16; i++) {
            cache.put(i, page(i), 0, 0);
        }
        assertEquals(new CacheStats(9 * PAGE, 9, 5, 0, 14, 5, 0), cache.stats());
        for (long index : new long[] {6, 0, 7, 10, 15}) {
            assertArrayEquals(page(index), bytes(cache, cache.lookup(index, 0)));
        }
    }

    @Test
    void resizingToTheSameNumberOfPagesKeepsTheStorage() {
        LruPageCache cache = cache(4);
        cache.put(1, page(1), 0, 0);
        byte[] array = cache.array(cache.lookup(1, 0));
        cache.resize(4L * PAGE + 1);
        assertSame(array, cache.array(cache.lookup(1, 0)));
        assertEquals(4L * PAGE + 1, cache.stats().capacityBytes());
    }

    @Test
    void sequentialIndexesBeyondTheTableSizeStayFast() {
        LruPageCache cache = new LruPageCache(64, 64L * 1024, 64 << 10);
        byte[] page = new byte[64];
        for (long i = 0; i < 200_000; i++) {
            cache.put(i * 4096, page, 0, 0);
        }
        assertEquals(1024, cache.stats().pages());
        assertEquals(200_000 - 1024, cache.stats().evictions());
        assertTrue(cache.lookup(199_999L * 4096, 0) >= 0);
    }
}
