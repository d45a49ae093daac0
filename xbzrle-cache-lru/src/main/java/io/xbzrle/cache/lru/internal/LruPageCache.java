package io.xbzrle.cache.lru.internal;

import io.xbzrle.api.cache.support.ByteSizes;
import io.xbzrle.api.cache.support.CacheCounters;
import io.xbzrle.api.cache.support.PageSlabs;
import io.xbzrle.api.cache.support.PendingCapacity;
import io.xbzrle.api.cache.CacheStats;
import io.xbzrle.api.cache.PageCache;
import java.util.Arrays;
import java.util.Objects;

/**
 * A least-recently-used page cache bounded by bytes: it holds {@code capacity / pageSize} pages
 * (rounded down; at least one), and a put of a new page into a full cache evicts the page used
 * least recently. A lookup hit and a put both count as a use. Generations are ignored and nothing
 * is refused.
 *
 * <p><b>Structure.</b> Each page has a slot: its bytes in the slabs, its key in {@code keys[slot]}
 * and its place in the recency list in {@code prev[slot]}/{@code next[slot]} (an intrusive doubly
 * linked list of ints; free slots are chained through {@code next}). Keys find slots through an
 * open-addressing table of ints (linear probing, Fibonacci hashing, load at most one half,
 * deletion by backward shift: no tombstones), so lookup, put and eviction are O(1) expected.
 *
 * <p><b>Memory.</b> Pages live in {@code byte[]} slabs of up to 64 MiB, allocated with the
 * capacity. Metadata: 16 bytes per page ({@code long} key, {@code int} prev and next) plus the hash
 * table's 2 to 4 {@code int}s per page (its length is the power of two at or above twice the page
 * count): 24 to 32 bytes per page, nothing per put. A handle is the slot number.
 *
 * <p><b>Resize</b> keeps the most recently used pages that fit: a shrink first evicts from the
 * least recent end, then moves the pages of dropped slots into free slots that are kept, and
 * rebuilds the hash table; a grow adds slots. It works in place: the memory beyond the larger of
 * the two capacities is one slab and the new metadata arrays.
 *
 * <p><b>Threading</b> is the SPI's: the owner is the thread that created the cache or, after that,
 * the thread that last called {@code lookup}, {@code put}, {@code remove} or {@code clear}.
 * {@code resize} from another thread posts the capacity in a volatile field that the owner checks
 * at the start of each of those calls; from the owner it applies at once. Page indices are
 * {@code >= 0}.
 */
final class LruPageCache implements PageCache {

    /** The largest number of pages (the hash table, twice as long, is indexed by int). */
    static final long MAX_PAGES = 1L << 29;

    private static final int NIL = -1;
    private static final long FREE = -1L;
    private static final long FIBONACCI = 0x9E3779B97F4A7C15L;

    private final int pageSize;
    private final int pageShift;
    private final PageSlabs slabs;
    private final CacheCounters counters = new CacheCounters();

    // Owner state.
    private long[] keys;
    private int[] prev;
    private int[] next;
    private int[] table;
    private int tableMask;
    private int tableShift;
    private int head = NIL;
    private int tail = NIL;
    private int freeHead = NIL;
    private int size;

    // Shared state.
    private final PendingCapacity capacity;

    /**
     * @param pageSize a power of two
     * @param capacityBytes at least one page
     * @param maxSlabBytes a power of two, the largest slab
     */
    LruPageCache(int pageSize, long capacityBytes, int maxSlabBytes) {
        if (pageSize <= 0 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size must be a power of two, got " + pageSize);
        }
        this.pageSize = pageSize;
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        int pages = checkCapacity(capacityBytes);
        this.slabs = new PageSlabs(pageSize, maxSlabBytes, pages);
        this.keys = new long[pages];
        this.prev = new int[pages];
        this.next = new int[pages];
        Arrays.fill(keys, FREE);
        rebuildFreeList();
        rebuildTable();
        this.capacity = new PendingCapacity(capacityBytes);
    }

    /** The number of pages for {@code capacityBytes}, or why it is not valid. */
    private int checkCapacity(long capacityBytes) {
        if (capacityBytes < pageSize) {
            throw new IllegalArgumentException("lru cache size " + ByteSizes.describe(capacityBytes)
                    + " is smaller than one " + pageSize + "-byte page; the smallest valid size is "
                    + ByteSizes.format(pageSize));
        }
        long largest = MAX_PAGES << pageShift;
        if (capacityBytes > largest) {
            throw new IllegalArgumentException("lru cache size " + ByteSizes.describe(capacityBytes)
                    + " is larger than " + MAX_PAGES + " pages of " + pageSize
                    + " bytes; the largest valid size is " + ByteSizes.format(largest));
        }
        return (int) (capacityBytes >>> pageShift);
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
        int position = find(checkIndex(pageIndex));
        if (position < 0) {
            counters.miss();
            return MISS;
        }
        int slot = table[position];
        moveToHead(slot);
        counters.hit();
        return slot;
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
        int position = find(checkIndex(pageIndex));
        int slot;
        if (position >= 0) {
            slot = table[position];
            moveToHead(slot);
        } else {
            if (freeHead != NIL) {
                slot = freeHead;
                freeHead = next[slot];
                size++;
                counters.pages(size);
                table[~position] = slot;
            } else {
                slot = tail;
                deleteAt(find(keys[slot]));
                unlink(slot);
                counters.evict(1);
                table[emptyPosition(pageIndex)] = slot;
            }
            keys[slot] = pageIndex;
            linkHead(slot);
        }
        slabs.copyIn(slot, src, offset);
        counters.insert();
        return true;
    }

    @Override
    public boolean remove(long pageIndex) {
        enter();
        int position = find(checkIndex(pageIndex));
        if (position < 0) {
            return false;
        }
        int slot = table[position];
        deleteAt(position);
        unlink(slot);
        free(slot);
        size--;
        counters.pages(size);
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
        Arrays.fill(keys, FREE);
        Arrays.fill(table, NIL);
        rebuildFreeList();
        head = NIL;
        tail = NIL;
        size = 0;
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

    // ---- hash table: key -> slot

    private int home(long key) {
        return (int) ((key * FIBONACCI) >>> tableShift);
    }

    /** The table position of {@code key}, or {@code ~p} with {@code p} the empty position it would take. */
    private int find(long key) {
        int position = home(key);
        while (true) {
            int slot = table[position];
            if (slot == NIL) {
                return ~position;
            }
            if (keys[slot] == key) {
                return position;
            }
            position = (position + 1) & tableMask;
        }
    }

    private int emptyPosition(long key) {
        int position = home(key);
        while (table[position] != NIL) {
            position = (position + 1) & tableMask;
        }
        return position;
    }

    /** Empties a table position, shifting back the entries of its probe run that may move. */
    private void deleteAt(int position) {
        int hole = position;
        int probe = position;
        while (true) {
            probe = (probe + 1) & tableMask;
            int slot = table[probe];
            if (slot == NIL) {
                break;
            }
            int home = home(keys[slot]);
            if (((probe - home) & tableMask) >= ((probe - hole) & tableMask)) {
                table[hole] = slot;
                hole = probe;
            }
        }
        table[hole] = NIL;
    }

    /** A table for the current slot count (a power of two at or above twice it), holding every key. */
    private void rebuildTable() {
        int length = Integer.highestOneBit(Math.max(1, keys.length) * 2 - 1) << 1;
        table = new int[length];
        Arrays.fill(table, NIL);
        tableMask = length - 1;
        tableShift = 64 - Integer.numberOfTrailingZeros(length);
        for (int slot = 0; slot < keys.length; slot++) {
            if (keys[slot] != FREE) {
                table[emptyPosition(keys[slot])] = slot;
            }
        }
    }

    // ---- recency list: head is the most recent, tail the least

    private void unlink(int slot) {
        int before = prev[slot];
        int after = next[slot];
        if (before == NIL) {
            head = after;
        } else {
            next[before] = after;
        }
        if (after == NIL) {
            tail = before;
        } else {
            prev[after] = before;
        }
    }

    private void linkHead(int slot) {
        prev[slot] = NIL;
        next[slot] = head;
        if (head == NIL) {
            tail = slot;
        } else {
            prev[head] = slot;
        }
        head = slot;
    }

    private void moveToHead(int slot) {
        if (slot != head) {
            unlink(slot);
            linkHead(slot);
        }
    }

    private void free(int slot) {
        keys[slot] = FREE;
        prev[slot] = NIL;
        next[slot] = freeHead;
        freeHead = slot;
    }

    /** Chains every free slot, lowest first. */
    private void rebuildFreeList() {
        freeHead = NIL;
        for (int slot = keys.length - 1; slot >= 0; slot--) {
            if (keys[slot] == FREE) {
                next[slot] = freeHead;
                prev[slot] = NIL;
                freeHead = slot;
            }
        }
    }

    // ---- resize

    private void applyResize() {
        long target = capacity.requested();
        if (target == capacity.applied()) {
            return;
        }
        int oldPages = keys.length;
        int newPages = (int) (target >>> pageShift);
        if (newPages < oldPages) {
            shrink(oldPages, newPages);
        } else if (newPages > oldPages) {
            slabs.resize(newPages);
            keys = Arrays.copyOf(keys, newPages);
            Arrays.fill(keys, oldPages, newPages, FREE);
            prev = Arrays.copyOf(prev, newPages);
            next = Arrays.copyOf(next, newPages);
        }
        if (newPages != oldPages) {
            rebuildFreeList();
            rebuildTable();
        }
        capacity.applied(target);
    }

    private void shrink(int oldPages, int newPages) {
        long evicted = 0;
        while (size > newPages) {
            int slot = tail;
            unlink(slot);
            keys[slot] = FREE;
            size--;
            evicted++;
        }
        int free = 0;
        for (int slot = newPages; slot < oldPages; slot++) {
            if (keys[slot] == FREE) {
                continue;
            }
            while (keys[free] != FREE) {
                free++;
            }
            slabs.move(slot, free);
            keys[free] = keys[slot];
            keys[slot] = FREE;
            int before = prev[slot];
            int after = next[slot];
            prev[free] = before;
            next[free] = after;
            if (before == NIL) {
                head = free;
            } else {
                next[before] = free;
            }
            if (after == NIL) {
                tail = free;
            } else {
                prev[after] = free;
            }
        }
        slabs.resize(newPages);
        keys = Arrays.copyOf(keys, newPages);
        prev = Arrays.copyOf(prev, newPages);
        next = Arrays.copyOf(next, newPages);
        counters.evict(evicted);
        counters.pages(size);
    }
}
