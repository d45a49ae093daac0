package io.xbzrle.api.cache.support;

import io.xbzrle.api.cache.CacheStats;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A cache's counters. The owner thread increments them with opaque writes (a plain store on
 * common hardware, but never torn and never kept in a register); any thread reads them with opaque
 * reads. A snapshot is not atomic across counters: each is a value the counter had, which is what
 * monitoring needs.
 */
public final class CacheCounters {

    private static final VarHandle HITS;
    private static final VarHandle MISSES;
    private static final VarHandle INSERTS;
    private static final VarHandle EVICTIONS;
    private static final VarHandle REFUSALS;
    private static final VarHandle PAGES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HITS = lookup.findVarHandle(CacheCounters.class, "hits", long.class);
            MISSES = lookup.findVarHandle(CacheCounters.class, "misses", long.class);
            INSERTS = lookup.findVarHandle(CacheCounters.class, "inserts", long.class);
            EVICTIONS = lookup.findVarHandle(CacheCounters.class, "evictions", long.class);
            REFUSALS = lookup.findVarHandle(CacheCounters.class, "refusals", long.class);
            PAGES = lookup.findVarHandle(CacheCounters.class, "pages", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long hits;
    private long misses;
    private long inserts;
    private long evictions;
    private long refusals;
    private long pages;

    public void hit() {
        HITS.setOpaque(this, hits + 1);
    }

    public void miss() {
        MISSES.setOpaque(this, misses + 1);
    }

    public void insert() {
        INSERTS.setOpaque(this, inserts + 1);
    }

    public void evict(long count) {
        EVICTIONS.setOpaque(this, evictions + count);
    }

    public void refuse() {
        REFUSALS.setOpaque(this, refusals + 1);
    }

    /** Sets the number of pages held (owner only). */
    public void pages(long count) {
        PAGES.setOpaque(this, count);
    }

    /** The number of pages held, as last set (owner only). */
    public long pages() {
        return pages;
    }

    /** A snapshot; callable from any thread. */
    public CacheStats snapshot(long capacityBytes) {
        return new CacheStats(capacityBytes, (long) PAGES.getOpaque(this), (long) HITS.getOpaque(this),
                (long) MISSES.getOpaque(this), (long) INSERTS.getOpaque(this),
                (long) EVICTIONS.getOpaque(this), (long) REFUSALS.getOpaque(this));
    }
}
