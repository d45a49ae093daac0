package io.xbzrle.migration.memory;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a {@link SyntheticGuest}'s writer does, named as on the command line ({@code --workload}).
 *
 * <p>Rates are in <em>page writes per second</em>: one page write is one visit of the writer to one
 * page, whatever it changes there, followed by marking that page dirty. 0 means unthrottled (the
 * writer loops as fast as it can, taking one core).
 */
public enum Workload {

    /**
     * The load generator of QEMU's {@code docs/xbzrle.txt}: one byte incremented every 1024 bytes of a
     * 16 MiB buffer (the first 16 MiB of the guest, or all of it if smaller), pass after pass,
     * forever. The buffer starts with data in it, not zeros as the program's {@code calloc}: else a
     * page would be all zero whenever its counters wrap round. A page write increments the bytes at
     * the multiples of 1024 within one page (4 bytes of a 4 KiB page). Default: 100 passes a second
     * (409,600 page writes a second with 4 KiB pages), well under a core; QEMU's program loops
     * unthrottled, which dirties the same pages, only more often.
     */
    SEED_COUNTER("seed-counter"),

    /**
     * Random pages (uniform), 1 to 8 random bytes of each changed (XBZRLE-friendly). Default: 20,000
     * page writes a second.
     */
    SPARSE_RANDOM("sparse-random"),

    /**
     * Skewed: 90% of the page writes go to the hottest 10% of the pages (the first tenth of the guest),
     * 10% to the rest; each changes 1 to 8 random bytes like {@link #SPARSE_RANDOM}. Default: 20,000
     * page writes a second.
     */
    HOT_COLD("hot-cold"),

    /**
     * Random pages rewritten whole with new random data (XBZRLE-hostile: every delta overflows).
     * Default: 10,000 page writes a second (40 MB/s of new data with 4 KiB pages).
     */
    FULL_PAGE("full-page"),

    /** Nothing after the initial fill: no writer thread at all. Default rate: 0 (unused). */
    IDLE("idle");

    /** The first bytes of the guest that {@link #SEED_COUNTER} writes to. */
    public static final int SEED_COUNTER_BUFFER = 16 << 20;

    /** The distance between the bytes {@link #SEED_COUNTER} increments. */
    public static final int SEED_COUNTER_STRIDE = 1024;

    private final String cliName;

    Workload(String cliName) {
        this.cliName = cliName;
    }

    /** The name on the command line and in configuration, e.g. {@code seed-counter}. */
    public String cliName() {
        return cliName;
    }

    /**
     * The workload named {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException listing the names when there is none such
     */
    public static Workload fromName(String name) {
        Objects.requireNonNull(name, "name is null");
        for (Workload w : values()) {
            if (w.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return w;
            }
        }
        throw new IllegalArgumentException("No workload named '" + name + "'; available: "
                + Arrays.stream(values()).map(Workload::cliName).collect(Collectors.joining(", ")));
    }

    /**
     * The default rate in page writes per second for a guest of {@code bytes} in pages of
     * {@code pageSize} (see each constant).
     */
    public long defaultPagesPerSecond(long bytes, int pageSize) {
        switch (this) {
            case SEED_COUNTER:
                long buffer = Math.min(SEED_COUNTER_BUFFER, bytes);
                return 100 * Math.max(1, (buffer + pageSize - 1) / pageSize);
            case SPARSE_RANDOM:
            case HOT_COLD:
                return 20_000; // a guest of 128 MiB converges with the default 64 MiB cache
            case FULL_PAGE:
                return 10_000;
            case IDLE:
            default:
                return 0;
        }
    }

    @Override
    public String toString() {
        return cliName;
    }
}
