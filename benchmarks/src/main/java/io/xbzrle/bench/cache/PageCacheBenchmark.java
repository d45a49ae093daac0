package io.xbzrle.bench.cache;

import com.typesafe.config.ConfigFactory;
import io.xbzrle.api.cache.PageCache;
import io.xbzrle.api.cache.PageCacheProvider;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Page cache policies: get (lookup and copy out) and put (copy in) of 4 KiB pages, hit and miss,
 * at QEMU's default 64 MiB and at 1 GiB. Run with {@code -prof gc}: {@code gc.alloc.rate.norm}
 * must be 0 B/op on every path.
 *
 * <p>Page indices go through the whole cache in a scattered order (an odd multiplier modulo the
 * power-of-two page count), so the 1 GiB case pays for cache misses in the CPU as a migration
 * would. Every page index up to the capacity is cached at the start; misses look up indices
 * beyond it; a put miss stores a new page, evicting a page (LRU: the least recent; aging: the
 * resident of its slot, old enough since generations advance by one per put).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
public class PageCacheBenchmark {

    private static final int PAGE_SIZE = 4096;
    private static final long SCATTER = 0x9E3779B1L;

    /** The policy under test. */
    @Param({"aging", "lru"})
    public String policy;

    /** The cache's capacity. */
    @Param({"64m", "1g"})
    public String size;

    private PageCache cache;
    private long pages;
    private long mask;
    private long counter;
    private final byte[] page = new byte[PAGE_SIZE];
    private final byte[] copy = new byte[PAGE_SIZE];

    /** Creates the cache through its provider and fills it with pages 0 to capacity - 1. */
    @Setup(Level.Trial)
    public void setUp() {
        PageCacheProvider provider = ServiceLoader.load(PageCacheProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(policy))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No cache policy named '" + policy + "'"));
        long capacity = ConfigFactory.parseString("size = " + size).getBytes("size");
        // The benchmarks' shaded jar keeps one reference.conf of several: pass the defaults here.
        String settings = policy.equals("aging") ? "lifetime = 2" : "";
        cache = provider.create(PAGE_SIZE, capacity, ConfigFactory.parseString(settings));
        pages = capacity / PAGE_SIZE;
        mask = pages - 1;
        for (int i = 0; i < PAGE_SIZE; i++) {
            page[i] = (byte) (i * 7);
        }
        for (long index = 0; index < pages; index++) {
            cache.put(index, page, 0, 0);
        }
        counter = pages;
    }

    /** Lets the next trial have the memory. */
    @TearDown(Level.Trial)
    public void tearDown() {
        cache = null;
    }

    private long nextCached() {
        return (counter++ * SCATTER) & mask;
    }

    /** Looks up a cached page and copies it out. */
    @Benchmark
    public boolean getHit() {
        return cache.get(nextCached(), 1, copy, 0);
    }

    /** Looks up a page that is not cached (its slot holds another page). */
    @Benchmark
    public boolean getMiss() {
        return cache.get(pages + nextCached(), 1, copy, 0);
    }

    /** Looks up a cached page without copying it: the policy's own cost. */
    @Benchmark
    public long lookupHit() {
        return cache.lookup(nextCached(), 1);
    }

    /** Stores a new copy of a cached page. */
    @Benchmark
    public boolean putHit() {
        return cache.put(nextCached(), page, 0, 1);
    }

    /** Stores a page that is not cached, evicting another. */
    @Benchmark
    public boolean putMiss() {
        long n = counter++;
        long index = n - (n & mask) + ((n * SCATTER) & mask);
        return cache.put(index, page, 0, n);
    }
}
