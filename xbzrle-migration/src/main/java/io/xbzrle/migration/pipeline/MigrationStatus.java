package io.xbzrle.migration.pipeline;

import static java.util.Objects.requireNonNull;

import io.xbzrle.api.cache.PageCache;

/**
 * A migration's live counters. The migration thread counts in plain fields and publishes a
 * {@link Snapshot} every few hundred pages and at every round's end; other threads (JMX, a
 * progress display) read the last published snapshot. The cache size may be changed from any
 * thread, as QEMU's {@code xbzrle-cache-size}.
 */
public final class MigrationStatus {
    private final long totalBytes;
    private final int pageSize;
    private final PageCache cache;

    // Migration thread only.
    private long duplicate;
    private long normal;
    private long normalBytes;
    private long xbzrlePages;
    private long xbzrleBytes;
    private long cacheMiss;
    private long overflow;
    private long remainingBytes;
    private double dirtyPagesRate;
    private long rounds;
    private long syncs;
    private long transferred;
    private long expectedDowntimeMs;
    private int throttle;
    private String state = "active";
    // QEMU's period rates (migration_update_rates): computed at a sync more than a second after
    // the last computation, over the pages sent since.
    private long targetPages;
    /** A period is over at the first sync more than this after its start, as QEMU's. */
    private static final long PERIOD_NANOS = 1_000_000_000L;
    private long rateStart = -1;
    private long periodDirtyBytes;
    private long periodStartTransferred;
    private long prevTargetPages;
    private long prevCacheMiss;
    private long prevXbzrlePages;
    private long prevXbzrleBytes;
    private double cacheMissRate;
    private double encodingRate;

    private volatile Snapshot published;

    /** The counters' values at one moment. */
    public record Snapshot(String state, long rounds, long transferred, long totalBytes, long remainingBytes,
                           long duplicate, long normal, long normalBytes, long xbzrlePages, long xbzrleBytes,
                           long cacheMiss, long overflow, double dirtyPagesRate, long expectedDowntimeMs,
                           int throttlePercent, long dirtySyncCount, double cacheMissRate, double encodingRate) {
    }

    MigrationStatus(long totalBytes, int pageSize, PageCache cache) {
        this.totalBytes = totalBytes;
        this.pageSize = pageSize;
        this.cache = requireNonNull(cache, "cache is null");
        publish();
    }

    /** The last published counters; callable from any thread. */
    public Snapshot published() {
        return published;
    }

    /** The cache's capacity in bytes now asked for. */
    public long cacheSize() {
        return cache.capacityBytes();
    }

    /**
     * Changes the cache size while the migration runs; the cache keeps the pages that still fit.
     *
     * @throws IllegalArgumentException if the cache policy cannot have this size; nothing changes
     */
    public void cacheSize(long bytes) {
        cache.resize(bytes);
    }

    Snapshot snapshot() {
        return new Snapshot(state, rounds, transferred, totalBytes, remainingBytes, duplicate, normal, normalBytes,
                xbzrlePages, xbzrleBytes, cacheMiss, overflow, dirtyPagesRate, expectedDowntimeMs, throttle, syncs,
                cacheMissRate, encodingRate);
    }

    private void publish() {
        published = snapshot();
    }

    long rounds() {
        return rounds;
    }

    void zeroPage() {
        duplicate++;
        targetPages++;
    }

    void normalPage(int bytes) {
        normal++;
        normalBytes += bytes;
        targetPages++;
    }

    void cacheHit() {
        xbzrlePages++;
    }

    void cacheMiss() {
        cacheMiss++;
    }

    /** An encoded page's bytes on the wire, or 0 for an unchanged page (skipped: not a page sent). */
    void xbzrleBytes(long bytes) {
        xbzrleBytes += bytes;
        if (bytes > 0) {
            targetPages++;
        }
    }

    void overflow(int pageSize) {
        overflow++;
        xbzrleBytes += pageSize;
    }

    /**
     * A period of QEMU's {@code migration_bitmap_sync}, of more than a second, that ended at a
     * sync: the bytes found dirty at its syncs and the bytes sent in it (what auto-converge weighs).
     */
    record Period(long dirtyBytes, long sentBytes) {
    }

    /**
     * After every dirty-log sync (QEMU's dirty-sync-count counts them), at {@code nowNanos}, with
     * the bytes it found dirty.
     *
     * @return the period this sync ended, if it ended one (the rates are then updated); else null
     */
    Period synced(long dirtyBytes, long nowNanos) {
        syncs++;
        remainingBytes = dirtyBytes;
        Period ended = null;
        if (rateStart < 0) {
            // The first sync (every page) starts the first period.
            rateStart = nowNanos;
            periodStartTransferred = transferred;
        } else {
            periodDirtyBytes += dirtyBytes;
            if (nowNanos - rateStart > PERIOD_NANOS) {
                updateRates();
                ended = new Period(periodDirtyBytes, transferred - periodStartTransferred);
                rateStart = nowNanos;
                periodDirtyBytes = 0;
                periodStartTransferred = transferred;
            }
        }
        publish();
        return ended;
    }

    /**
     * QEMU's cache-miss-rate (misses per page sent) and encoding-rate (page bytes per byte sent of
     * the pages found in the cache) over the period; a period that sent no page changes neither.
     */
    private void updateRates() {
        long pages = targetPages - prevTargetPages;
        prevTargetPages = targetPages;
        if (pages == 0) {
            return;
        }
        cacheMissRate = (double) (cacheMiss - prevCacheMiss) / pages;
        long hits = xbzrlePages - prevXbzrlePages;
        long bytes = xbzrleBytes - prevXbzrleBytes;
        encodingRate = hits == 0 || bytes == 0 ? 0 : (double) hits * pageSize / bytes;
        prevCacheMiss = cacheMiss;
        prevXbzrlePages = xbzrlePages;
        prevXbzrleBytes = xbzrleBytes;
    }

    void dirtyRate(double pagesPerSecond) {
        dirtyPagesRate = pagesPerSecond;
    }

    void expectedDowntime(long ms) {
        expectedDowntimeMs = ms;
    }

    void throttle(int percent) {
        throttle = percent;
    }

    void progress(long bytesSent, long pagesThisRound) {
        transferred = bytesSent;
        publish();
    }

    void roundDone(long bytesSent) {
        rounds++;
        remainingBytes = 0; // every page dirty at the sync went out
        transferred = bytesSent;
        publish();
    }

    /** The end: with every byte sent (COMPLETE or ABORT included), as the result's transferred. */
    void ended(String how, long bytesSent) {
        state = how;
        transferred = bytesSent;
        publish();
    }
}
