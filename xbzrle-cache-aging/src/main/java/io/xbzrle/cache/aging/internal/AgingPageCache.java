package io.xbzrle.cache.aging.internal;

import io.xbzrle.api.cache.support.ByteSizes;
import io.xbzrle.api.cache.support.CacheCounters;
import io.xbzrle.api.cache.support.PageSlabs;
import io.xbzrle.api.cache.support.PendingCapacity;
import io.xbzrle.api.cache.CacheStats;
import io.xbzrle.api.cache.PageCache;
import java.util.Arrays;
import java.util.Objects;

/**
 * QEMU's page cache ({@code migration/page_cache.c}): direct-mapped, one page per slot, the slot
 * being the page index modulo the number of slots, which is a power of two.
 *
 * <p>Each entry carries a generation (the dirty-sync count when it was stored or last hit). A put
 * of another page into an occupied slot is refused while the resident page is younger than
 * {@code lifetime} generations ({@code generation - residentGeneration < lifetime}); a put of the
 * same page always overwrites; a hit refreshes the generation.
 *
 * <p><b>Memory.</b> Pages live in {@code byte[]} slabs of up to 64 MiB, allocated with the
 * capacity. Metadata: 16 bytes per page (the page index and the generation, two {@code long[]}
 * entries), nothing per put. A handle is the slot number.
 *
 * <p><b>Resize</b> keeps what fits, where QEMU empties the cache: growing re-slots every entry by
 * the new modulus (no two collide); shrinking re-slots the entries of the dropped slots onto the
 * kept ones, and where two pages meet the younger (greater generation) stays, the resident on a
 * tie. The losers count as evictions. It works in place: the memory beyond the larger of the two
 * capacities is one slab at most.
 *
 * <p><b>Threading</b> is the SPI's: the owner is the thread that created the cache or, after that,
 * the thread that last called {@code lookup}, {@code put}, {@code remove} or {@code clear}.
 * {@code resize} from another thread posts the capacity in a volatile field that the owner checks
 * at the start of each of those calls; from the owner it applies at once. Page indices are
 * {@code >= 0}.
 */
final class AgingPageCache implements PageCache {

    /** The largest number of slots (the metadata arrays are indexed by int). */
    static final long MAX_SLOTS = 1L << 30;

    private static final long EMPTY = -1L;

    private final int pageSize;
    private final int pageShift;
    private final long lifetime;
    private final PageSlabs slabs;
    private final CacheCounters counters = new CacheCounters();

    // Owner state.
    private long[] indexes;
    private long[] generations;
    private long mask;

    // Shared state.
    private final PendingCapacity capacity;

    /**
     * @param pageSize a power of two
     * @param capacityBytes a power-of-two number of pages
     * @param lifetime generations a page is protected from eviction after its last use, {@code >= 0}
     * @param maxSlabBytes a power of two, the largest slab
     */
    AgingPageCache(int pageSize, long capacityBytes, int lifetime, int maxSlabBytes) {
        if (pageSize <= 0 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size must be a power of two, got " + pageSize);
        }
        if (lifetime < 0) {
            throw new IllegalArgumentException("lifetime must be >= 0, got " + lifetime);
        }
        this.pageSize = pageSize;
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        int slots = checkCapacity(capacityBytes);
        this.lifetime = lifetime;
        this.slabs = new PageSlabs(pageSize, maxSlabBytes, slots);
        this.indexes = new long[slots];
        Arrays.fill(indexes, EMPTY);
        this.generations = new long[slots];
        this.mask = slots - 1L;
        this.capacity = new PendingCapacity(capacityBytes);
    }

    /** The number of slots for {@code capacityBytes}, or why it is not valid. */
    private int checkCapacity(long capacityBytes) {
        if (capacityBytes < pageSize) {
            throw new IllegalArgumentException("aging cache size " + ByteSizes.describe(capacityBytes)
                    + " is smaller than one " + pageSize + "-byte page; the smallest valid size is "
                    + ByteSizes.format(pageSize));
        }
        long largest = MAX_SLOTS << pageShift;
        if (capacityBytes > largest) {
            throw new IllegalArgumentException("aging cache size " + ByteSizes.describe(capacityBytes)
                    + " is larger than " + MAX_SLOTS + " pages of " + pageSize
                    + " bytes; the largest valid size is " + ByteSizes.format(largest));
        }
        long pages = capacityBytes >>> pageShift;
        if (Long.bitCount(pages) != 1 || (pages << pageShift) != capacityBytes) {
            long below = Long.highestOneBit(pages) << pageShift;
            long above = below << 1;
            long nearest = above <= largest && above - capacityBytes < capacityBytes - below ? above : below;
            throw new IllegalArgumentException("aging cache size " + ByteSizes.describe(capacityBytes)
                    + " is not a power-of-two number of " + pageSize
                    + "-byte pages; the nearest valid size is " + ByteSizes.format(nearest));
        }
        return (int) pages;
    }

    @Override
    public int pageSize() {
        return pageSize;
    }

    @Override
    public long capacityBytes() {
        return capacity.requested();
    }

    @Override
    public long lookup(long pageIndex, long generation) {
        enter();
        int slot = (int) (checkIndex(pageIndex) & mask);
        if (indexes[slot] == pageIndex) {
            generations[slot] = generation;
            counters.hit();
            return slot;
        }
        counters.miss();
        return MISS;
    }

    @Override
    public byte[] array(long handle) {
        return slabs.array(handle);
    }

    @Override
    public int offset(long handle) {
        return slabs.offset(handle);
    }

    @Override
    public boolean put(long pageIndex, byte[] src, int offset, long generation) {
        enter();
        Objects.checkFromIndexSize(offset, pageSize, src.length);
        int slot = (int) (checkIndex(pageIndex) & mask);
        long resident = indexes[slot];
        if (resident == EMPTY) {
            counters.pages(counters.pages() + 1);
        } else if (resident != pageIndex) {
            if (generation - generations[slot] < lifetime) {
                counters.refuse();
                return false;
            }
            counters.evict(1);
        }
        slabs.copyIn(slot, src, offset);
        indexes[slot] = pageIndex;
        generations[slot] = generation;
        counters.insert();
        return true;
    }

    @Override
    public boolean remove(long pageIndex) {
        enter();
        int slot = (int) (checkIndex(pageIndex) & mask);
        if (indexes[slot] != pageIndex) {
            return false;
        }
        indexes[slot] = EMPTY;
        generations[slot] = 0;
        counters.pages(counters.pages() - 1);
        return true;
    }

    @Override
    public void resize(long capacityBytes) {
        checkCapacity(capacityBytes);
        if (capacity.post(capacityBytes)) {
            applyResize();
        }
    }

    @Override
    public void clear() {
        enter();
        Arrays.fill(indexes, EMPTY);
        Arrays.fill(generations, 0);
        counters.pages(0);
    }

    @Override
    public CacheStats stats() {
        return counters.snapshot(capacity.inForce());
    }

    private static long checkIndex(long pageIndex) {
        if (pageIndex < 0) {
            throw new IllegalArgumentException("page index must be >= 0, got " + pageIndex);
        }
        return pageIndex;
    }

    /** Binds the owner and applies a resize another thread asked for. */
    private void enter() {
        if (capacity.enter()) {
            applyResize();
        }
    }

    private void applyResize() {
        long target = capacity.requested();
        if (target == capacity.applied()) {
            return;
        }
        int oldSlots = indexes.length;
        int newSlots = (int) (target >>> pageShift);
        if (newSlots > oldSlots) {
            grow(oldSlots, newSlots);
        } else if (newSlots < oldSlots) {
            shrink(oldSlots, newSlots);
        }
        mask = newSlots - 1L;
        capacity.applied(target);
    }

    /** Every entry moves to {@code index & (newSlots - 1)}: its own slot or one in the new part. */
    private void grow(int oldSlots, int newSlots) {
        slabs.resize(newSlots);
        long[] newIndexes = Arrays.copyOf(indexes, newSlots);
        Arrays.fill(newIndexes, oldSlots, newSlots, EMPTY);
        long[] newGenerations = Arrays.copyOf(generations, newSlots);
        long newMask = newSlots - 1L;
        for (int slot = 0; slot < oldSlots; slot++) {
            long index = newIndexes[slot];
            if (index == EMPTY) {
                continue;
            }
            int target = (int) (index & newMask);
            if (target != slot) {
                slabs.move(slot, target);
                newIndexes[target] = index;
                newGenerations[target] = newGenerations[slot];
                newIndexes[slot] = EMPTY;
                newGenerations[slot] = 0;
            }
        }
        indexes = newIndexes;
        generations = newGenerations;
    }

    /** Entries of dropped slots move onto kept ones; the younger of two stays. */
    private void shrink(int oldSlots, int newSlots) {
        long newMask = newSlots - 1L;
        long lost = 0;
        for (int slot = newSlots; slot < oldSlots; slot++) {
            long index = indexes[slot];
            if (index == EMPTY) {
                continue;
            }
            int target = (int) (index & newMask);
            if (indexes[target] == EMPTY || generations[slot] > generations[target]) {
                if (indexes[target] != EMPTY) {
                    lost++;
                }
                slabs.move(slot, target);
                indexes[target] = index;
                generations[target] = generations[slot];
            } else {
                lost++;
            }
        }
        slabs.resize(newSlots);
        indexes = Arrays.copyOf(indexes, newSlots);
        generations = Arrays.copyOf(generations, newSlots);
        counters.evict(lost);
        counters.pages(counters.pages() - lost);
    }
}
