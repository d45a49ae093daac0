package io.xbzrle.cache.lru.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xbzrle.api.cache.CacheStats;
import io.xbzrle.api.cache.PageCache;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The LRU cache against a LinkedHashMap in access order, over long seeded random operation sequences. */
final class LruPageCacheModelTest {

    private static final int OPERATIONS = 40_000;

    /** Least recently used, written with the JDK's LinkedHashMap in access order. */
    private static final class Model {
        final LinkedHashMap<Long, byte[]> entries = new LinkedHashMap<>(16, 0.75f, true);
        long capacityBytes;
        final int pageSize;
        long hits;
        long misses;
        long inserts;
        long evictions;

        Model(long capacityBytes, int pageSize) {
            this.capacityBytes = capacityBytes;
            this.pageSize = pageSize;
        }

        long pages() {
            return capacityBytes / pageSize;
        }

        byte[] lookup(long index) {
            byte[] bytes = entries.get(index);
            if (bytes == null) {
                misses++;
            } else {
                hits++;
            }
            return bytes;
        }

        void put(long index, byte[] bytes) {
            if (!entries.containsKey(index) && entries.size() == pages()) {
                evictEldest();
            }
            entries.put(index, bytes.clone());
            inserts++;
        }

        void evictEldest() {
            Iterator<Long> eldest = entries.keySet().iterator();
            eldest.next();
            eldest.remove();
            evictions++;
        }

        void resize(long newCapacityBytes) {
            capacityBytes = newCapacityBytes;
            while (entries.size() > pages()) {
                evictEldest();
            }
        }

        CacheStats stats() {
            return new CacheStats(capacityBytes, entries.size(), hits, misses, inserts, evictions, 0);
        }
    }

    static LongStream seeds() {
        return Seeds.seeds();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void smallPagesManySlabs(long seed) {
        run(seed, 64, 256);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void fourKibPages(long seed) {
        run(seed, 4096, 64 << 10);
    }

    private static void run(long seed, int pageSize, int slabBytes) {
        System.out.println("LruPageCacheModelTest seed " + seed + " (rerun with -Dxbzrle.test.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        long capacity = size(random, pageSize);
        PageCache cache = new LruPageCache(pageSize, capacity, slabBytes);
        Model model = new Model(capacity, pageSize);
        long universe = 1 + random.nextInt(200);
        byte[] page = new byte[pageSize + 16];
        byte[] copy = new byte[pageSize];
        for (int op = 0; op < OPERATIONS; op++) {
            String where = "seed " + seed + ", operation " + op;
            long index = random.nextLong(universe);
            int choice = random.nextInt(100);
            if (choice < 30) {
                long handle = cache.lookup(index, op);
                byte[] expected = model.lookup(index);
                if (expected == null) {
                    assertEquals(PageCache.MISS, handle, where + ": lookup " + index);
                } else {
                    assertTrue(handle >= 0, where + ": lookup " + index);
                    byte[] actual = Arrays.copyOfRange(cache.array(handle), cache.offset(handle),
                            cache.offset(handle) + pageSize);
                    assertArrayEquals(expected, actual, where + ": bytes of " + index);
                }
            } else if (choice < 40) {
                boolean hit = cache.get(index, op, copy, 0);
                byte[] expected = model.lookup(index);
                assertEquals(expected != null, hit, where + ": get " + index);
                if (hit) {
                    assertArrayEquals(expected, copy, where + ": bytes of " + index);
                }
            } else if (choice < 85) {
                int offset = random.nextInt(17);
                random.nextBytes(page);
                model.put(index, Arrays.copyOfRange(page, offset, offset + pageSize));
                assertTrue(cache.put(index, page, offset, op), where + ": put " + index);
            } else if (choice < 95) {
                assertEquals(model.entries.remove(index) != null, cache.remove(index), where + ": remove " + index);
            } else if (choice < 99) {
                long newCapacity = size(random, pageSize);
                cache.resize(newCapacity);
                model.resize(newCapacity);
            } else if (random.nextInt(10) == 0) {
                cache.clear();
                model.entries.clear();
            } else {
                universe = 1 + random.nextInt(200);
            }
            assertEquals(model.stats(), cache.stats(), where);
        }
    }

    /** A capacity of 1 to 100 pages, not always a whole number of pages. */
    private static long size(SplittableRandom random, int pageSize) {
        return (long) pageSize * (1 + random.nextInt(100)) + (random.nextBoolean() ? 0 : random.nextInt(pageSize));
    }
}
