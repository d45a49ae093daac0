package io.xbzrle.cache.aging.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xbzrle.api.cache.CacheStats;
import io.xbzrle.api.cache.PageCache;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The SPI's threading contract: resize and stats from any thread, applied by the owner. */
final class AgingPageCacheThreadingTest {

    private static final int PAGE = 512;

    /** Page bytes that tell which index they belong to. */
    private static byte[] page(long index) {
        byte[] page = new byte[PAGE];
        SplittableRandom random = new SplittableRandom(index);
        random.nextBytes(page);
        return page;
    }

    private static byte[] bytes(PageCache cache, long handle) {
        int offset = cache.offset(handle);
        return Arrays.copyOfRange(cache.array(handle), offset, offset + PAGE);
    }

    private static <T> T inThread(Callable<T> task) throws Exception {
        FutureTask<T> future = new FutureTask<>(task);
        Thread thread = new Thread(future, "other");
        thread.start();
        return future.get(30, TimeUnit.SECONDS);
    }

    @Test
    void resizeFromAnotherThreadWaitsForTheOwnersNextCall() throws Exception {
        AgingPageCache cache = new AgingPageCache(PAGE, 64L * PAGE, 2, 8 * PAGE);
        for (int i = 0; i < 64; i++) {
            cache.put(i, page(i), 0, 0);
        }
        long handle = cache.lookup(63, 1);
        inThread(() -> {
            cache.resize(4L * PAGE);
            return null;
        });
        assertEquals(4L * PAGE, cache.capacityBytes(), "capacityBytes is the capacity asked for");
        assertEquals(64L * PAGE, cache.stats().capacityBytes(), "not applied yet");
        assertArrayEquals(page(63), bytes(cache, handle), "the owner's handle is still valid");
        assertEquals(PageCache.MISS, cache.lookup(1000, 0));
        assertEquals(4L * PAGE, cache.stats().capacityBytes());
        assertEquals(4, cache.stats().pages());
        assertArrayEquals(page(63), bytes(cache, cache.lookup(63, 0)));
    }

    @Test
    void resizeFromTheOwnerAppliesAtOnce() {
        AgingPageCache cache = new AgingPageCache(PAGE, 8L * PAGE, 2, 8 * PAGE);
        cache.resize(2L * PAGE);
        assertEquals(2L * PAGE, cache.stats().capacityBytes());
    }

    @Test
    void ownerIsTheThreadThatLastUsedTheCache() throws Exception {
        AgingPageCache cache = new AgingPageCache(PAGE, 8L * PAGE, 2, 8 * PAGE);
        inThread(() -> cache.put(1, page(1), 0, 0));
        cache.resize(2L * PAGE);
        assertEquals(8L * PAGE, cache.stats().capacityBytes(), "the creating thread is no longer the owner");
        inThread(() -> cache.lookup(1, 0));
        assertEquals(2L * PAGE, cache.stats().capacityBytes());
    }

    static LongStream seeds() {
        return Seeds.seeds();
    }

    /**
     * An owner thread works through random operations, checking every hit's bytes, while another
     * thread resizes the cache many times and reads its counters.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void resizeUnderConcurrentUse(long seed) throws Exception {
        System.out.println("AgingPageCacheThreadingTest seed " + seed + " (rerun with -Dxbzrle.test.seed=" + seed + ")");
        String where = "seed " + seed;
        AgingPageCache cache = new AgingPageCache(PAGE, 64L * PAGE, 2, 8 * PAGE);
        int universe = 512;
        byte[][] pages = new byte[universe][];
        for (int i = 0; i < universe; i++) {
            pages[i] = page(i);
        }
        CountDownLatch start = new CountDownLatch(2);
        CountDownLatch resizerDone = new CountDownLatch(1);
        long[] lastSize = new long[1];
        FutureTask<Long> owner = new FutureTask<>(() -> {
            SplittableRandom random = new SplittableRandom(seed);
            start.countDown();
            start.await();
            long operations = 0;
            long generation = 0;
            while (resizerDone.getCount() > 0 || operations < 20_000) {
                long index = random.nextInt(universe);
                generation += random.nextInt(3) == 0 ? 1 : 0;
                int choice = random.nextInt(10);
                if (choice < 5) {
                    long handle = cache.lookup(index, generation);
                    if (handle != PageCache.MISS) {
                        assertArrayEquals(pages[(int) index], bytes(cache, handle), where + ": bytes of " + index);
                    }
                } else if (choice < 9) {
                    cache.put(index, pages[(int) index], 0, generation);
                } else {
                    cache.remove(index);
                }
                long capacityPages = cache.stats().capacityBytes() / PAGE;
                assertTrue(cache.stats().pages() <= capacityPages, where);
                operations++;
            }
            cache.lookup(0, generation); // applies a resize posted after the last check
            return operations;
        });
        FutureTask<Long> resizer = new FutureTask<>(() -> {
            SplittableRandom random = new SplittableRandom(~seed);
            start.countDown();
            start.await();
            long previousHits = 0;
            try {
                for (int i = 0; i < 2_000; i++) {
                    long size = (long) PAGE << random.nextInt(9);
                    cache.resize(size);
                    lastSize[0] = size;
                    CacheStats stats = cache.stats();
                    assertTrue(stats.hits() >= previousHits, where);
                    assertTrue(stats.pages() >= 0 && stats.pages() <= 256, where + ": " + stats);
                    previousHits = stats.hits();
                }
            } finally {
                resizerDone.countDown();
            }
            return previousHits;
        });
        Thread ownerThread = new Thread(owner, "owner");
        Thread resizerThread = new Thread(resizer, "resizer");
        ownerThread.start();
        resizerThread.start();
        resizer.get(60, TimeUnit.SECONDS);
        owner.get(60, TimeUnit.SECONDS);
        // The last resize was posted before the owner's last calls: it is in force.
        assertEquals(lastSize[0], cache.stats().capacityBytes(), where);
        assertTrue(cache.stats().pages() <= lastSize[0] / PAGE, where);
        long found = 0;
        for (int i = 0; i < universe; i++) {
            long handle = cache.lookup(i, Long.MAX_VALUE);
            if (handle != PageCache.MISS) {
                found++;
                assertArrayEquals(pages[i], bytes(cache, handle), where + ": bytes of " + i);
            }
        }
        assertEquals(cache.stats().pages(), found, where);
    }
}
