package io.xbzrle.cache.aging.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xbzrle.api.cache.CacheStats;
import io.xbzrle.api.cache.PageCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The aging cache against a reference model written from QEMU's rules: a map from page index to
 * (generation, bytes) and the age rule, over long seeded random operation sequences.
 */
final class AgingPageCacheModelTest {

    private static final int OPERATIONS = 40_000;

    /** An entry of the model. */
    private record Entry(long generation, byte[] bytes) {
    }

    /** QEMU's page_cache.c semantics, written as plainly as possible. */
    private static final class Model {
        final Map<Long, Entry> entries = new HashMap<>();
        final int lifetime;
        long slots;
        long hits;
        long misses;
        long inserts;
        long evictions;
        long refusals;

        Model(long slots, int lifetime) {
            this.slots = slots;
            this.lifetime = lifetime;
        }

        Long resident(long index) {
            for (long key : entries.keySet()) {
                if (key % slots == index % slots) {
                    return key;
                }
            }
            return null;
        }

        byte[] lookup(long index, long generation) {
            Entry entry = entries.get(index);
            if (entry == null) {
                misses++;
                return null;
            }
            hits++;
            entries.put(index, new Entry(generation, entry.bytes()));
            return entry.bytes();
        }

        boolean put(long index, byte[] bytes, long generation) {
            Long resident = resident(index);
            if (resident != null && resident != index) {
                if (entries.get(resident).generation() + lifetime > generation) {
                    refusals++;
                    return false;
                }
                entries.remove(resident);
                evictions++;
            }
            entries.put(index, new Entry(generation, bytes.clone()));
            inserts++;
            return true;
        }

        boolean remove(long index) {
            return entries.remove(index) != null;
        }

        /** Re-slots by the new modulus; of colliding pages the youngest stays, on a tie the lowest old slot. */
        void resize(long newSlots) {
            Map<Long, List<Long>> bySlot = new HashMap<>();
            for (long key : entries.keySet()) {
                bySlot.computeIfAbsent(key % newSlots, k -> new ArrayList<>()).add(key);
            }
            for (List<Long> keys : bySlot.values()) {
                long keep = keys.get(0);
                for (long key : keys) {
                    long g = entries.get(key).generation();
                    long best = entries.get(keep).generation();
                    if (g > best || g == best && key % slots < keep % slots) {
                        keep = key;
                    }
                }
                for (long key : keys) {
                    if (key != keep) {
                        entries.remove(key);
                        evictions++;
                    }
                }
            }
            slots = newSlots;
        }

        CacheStats stats(int pageSize) {
            return new CacheStats(slots * pageSize, entries.size(), hits, misses, inserts, evictions, refusals);
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
        System.out.println("AgingPageCacheModelTest seed " + seed + " (rerun with -Dxbzrle.test.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        int lifetime = random.nextInt(4);
        long slots = 1L << random.nextInt(7);
        PageCache cache = new AgingPageCache(pageSize, slots * pageSize, lifetime, slabBytes);
        Model model = new Model(slots, lifetime);
        long universe = 256;
        long generation = 0;
        byte[] page = new byte[pageSize + 16];
        byte[] copy = new byte[pageSize];
        for (int op = 0; op < OPERATIONS; op++) {
            String where = "seed " + seed + ", lifetime " + lifetime + ", operation " + op;
            if (random.nextInt(4) == 0) {
                generation++;
            }
            long index = random.nextLong(universe);
            int choice = random.nextInt(100);
            if (choice < 30) {
                long handle = cache.lookup(index, generation);
                byte[] expected = model.lookup(index, generation);
                if (expected == null) {
                    assertEquals(PageCache.MISS, handle, where + ": lookup " + index);
                } else {
                    assertEquals(true, handle >= 0, where + ": lookup " + index);
                    byte[] actual = Arrays.copyOfRange(cache.array(handle), cache.offset(handle),
                            cache.offset(handle) + pageSize);
                    assertArrayEquals(expected, actual, where + ": bytes of " + index);
                }
            } else if (choice < 40) {
                boolean hit = cache.get(index, generation, copy, 0);
                byte[] expected = model.lookup(index, generation);
                assertEquals(expected != null, hit, where + ": get " + index);
                if (hit) {
                    assertArrayEquals(expected, copy, where + ": bytes of " + index);
                }
            } else if (choice < 85) {
                int offset = random.nextInt(17);
                random.nextBytes(page);
                byte[] bytes = Arrays.copyOfRange(page, offset, offset + pageSize);
                assertEquals(model.put(index, bytes, generation), cache.put(index, page, offset, generation),
                        where + ": put " + index);
            } else if (choice < 95) {
                assertEquals(model.remove(index), cache.remove(index), where + ": remove " + index);
            } else if (choice < 99) {
                long newSlots = 1L << random.nextInt(7);
                cache.resize(newSlots * pageSize);
                model.resize(newSlots);
            } else if (random.nextInt(10) == 0) {
                cache.clear();
                model.entries.clear();
            }
            assertEquals(model.stats(pageSize), cache.stats(), where);
        }
    }
}
