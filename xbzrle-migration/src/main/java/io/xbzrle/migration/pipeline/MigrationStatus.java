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

    private volatile Snapshot published;

    /** The counters' values at one moment. */
    public record Snapshot(String state, long rounds, long transferred, long totalBytes, long remainingBytes,
                           long duplicate, long normal, long normalBytes, long xbzrlePages, long xbzrleBytes,
                           long cacheMiss, long overflow, double dirtyPagesRate, long expectedDowntimeMs,
                           int throttlePercent, long dirtySyncCount) {
    }

    MigrationStatus(long totalBytes, PageCache cache) {
        this.totalBytes = totalBytes;
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
                xbzrlePages, xbzrleBytes, cacheMiss, overflow, dirtyPagesRate, expectedDowntimeMs, throttle, syncs);
    }

    private void publish() {
        published = snapshot();
    }

    long rounds() {
        return rounds;
    }

    void zeroPage() {
        duplicate++;
    }

    void normalPage(int bytes) {
        normal++;
        normalBytes += bytes;
    }

    void cacheHit() {
        xbzrlePages++;
    }

    void cacheMiss() {
        cacheMiss++;
    }

    void xbzrleBytes(long bytes) {
        xbzrleBytes += bytes;
    }

    void overflow(int pageSize) {
        overflow++;
        xbzrleBytes += pageSize;
    }

    /** After every dirty-log sync (QEMU's dirty-sync-count counts them). */
    void synced(long dirtyBytes) {
        syncs++;
        remainingBytes = dirtyBytes;
        publish();
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
