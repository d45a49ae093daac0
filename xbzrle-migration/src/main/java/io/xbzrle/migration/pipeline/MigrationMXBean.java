package io.xbzrle.migration.pipeline;

/**
 * A running migration over JMX, as {@code io.xbzrle:type=Migration}: QEMU's {@code query-migrate}
 * counters, and the XBZRLE cache size, writable while the migration runs (QEMU's
 * {@code migrate-set-parameters xbzrle-cache-size}).
 */
public interface MigrationMXBean {
    /** {@code active}, {@code completed}, {@code failed} or {@code cancelled}. */
    String getStatus();

    long getTransferred();

    long getRemaining();

    long getTotal();

    long getDirtySyncCount();

    long getDuplicate();

    long getNormal();

    long getXbzrlePages();

    long getXbzrleBytes();

    long getCacheMiss();

    long getOverflow();

    double getDirtyPagesRate();

    long getExpectedDowntime();

    int getCpuThrottlePercentage();

    long getCacheSize();

    /** Resizes the cache; it keeps the pages that still fit. A size the policy refuses fails. */
    void setCacheSize(long bytes);
}
