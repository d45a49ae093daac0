package io.xbzrle.api.cache;

/**
 * Pages keyed by page index, bounded by a capacity in bytes, with the policy's eviction rule.
 *
 * <p><b>Generations.</b> Every call that can change an entry carries a generation: the migration's
 * dirty-sync count, as in QEMU. A policy may use it to keep recently used pages (QEMU's aging
 * policy refuses to evict a page used within its lifetime) or ignore it (LRU).
 *
 * <p><b>Threading.</b> One thread, the owner (the migration thread), calls {@link #lookup},
 * {@link #array}, {@link #offset}, {@link #put}, {@link #remove} and {@link #clear}. {@link #resize},
 * {@link #capacityBytes} and {@link #stats} may be called from any thread at any time (a management
 * console changing the cache size while a migration runs). A resize asked for by another thread is
 * applied by the owner at the start of its next {@code lookup}, {@code put}, {@code remove} or
 * {@code clear}, so a handle the owner holds stays valid until its own next such call.
 *
 * <p><b>Buffers.</b> Page bytes live in the cache's own storage: {@link #put} copies them in, and a
 * {@linkplain #lookup handle} gives read access to them without a copy. Callers never keep the
 * array returned by {@link #array} beyond the handle's validity and never write to it.
 *
 * <p><b>Keys.</b> Page indices are {@code >= 0}; a negative index is a programming error
 * ({@link IllegalArgumentException}).
 *
 * <p><b>Allocation.</b> In steady state (capacity unchanged) no method allocates, except
 * {@link #stats}.
 */
public interface PageCache {

    /** Returned by {@link #lookup} for a page that is not cached. */
    long MISS = -1L;

    /** The page size in bytes. */
    int pageSize();

    /** The capacity in bytes: the most recently asked for, even if not yet applied. */
    long capacityBytes();

    /**
     * Looks a page up. A hit counts as a use: it refreshes the entry's generation (aging) or
     * recency (LRU). Counts a hit or a miss.
     *
     * @return a handle to the cached bytes, {@code >= 0}, valid until the owner's next
     *     {@code lookup}, {@code put}, {@code remove} or {@code clear}; or {@link #MISS}
     */
    long lookup(long pageIndex, long generation);

    /** The array that holds the page behind {@code handle}. */
    byte[] array(long handle);

    /** Where the page behind {@code handle} starts in {@link #array(long)}. */
    int offset(long handle);

    /**
     * Stores a copy of {@code pageSize()} bytes of {@code src} at {@code offset} as the page
     * {@code pageIndex}, replacing any copy of that page, evicting another page if the policy
     * chooses to.
     *
     * @return {@code true} if stored; {@code false} if the policy refused (the cache is unchanged,
     *     except for the refusal counter)
     */
    boolean put(long pageIndex, byte[] src, int offset, long generation);

    /** Forgets the page, if cached. @return whether it was cached */
    boolean remove(long pageIndex);

    /**
     * Changes the capacity, keeping the entries that still fit. Callable from any thread (see the
     * class comment for when it takes effect).
     *
     * @throws IllegalArgumentException if the policy cannot have this capacity; the message says
     *     what would be valid. The cache is then unchanged.
     */
    void resize(long capacityBytes);

    /** Forgets every page; counters are kept. */
    void clear();

    /**
     * The counters; callable from any thread. Each counter is read atomically, but not all of them
     * at one instant: good for monitoring, not for exact arithmetic across counters while the owner
     * runs.
     */
    CacheStats stats();

    /**
     * Copies the cached page into {@code dst}: a convenience over {@link #lookup}.
     *
     * @return whether the page was cached
     */
    default boolean get(long pageIndex, long generation, byte[] dst, int dstOffset) {
        long handle = lookup(pageIndex, generation);
        if (handle == MISS) {
            return false;
        }
        System.arraycopy(array(handle), offset(handle), dst, dstOffset, pageSize());
        return true;
    }
}
