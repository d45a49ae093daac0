package io.xbzrle.migration.stream;

/**
 * What a {@link StreamReader} accepts from a header before it allocates anything: the largest page
 * size, the most regions and the most pages in all regions together. Immutable.
 *
 * @param maxPageSize the largest page size accepted, {@value StreamHeader#MIN_PAGE_SIZE}..16 MiB
 * @param maxRegions the most regions accepted, 1..65535
 * @param maxPages the most pages in all regions together, at least 1
 * @throws IllegalArgumentException if a value is out of range
 */
public record Limits(int maxPageSize, int maxRegions, long maxPages) {
    /**
     * The defaults: pages up to 2 MiB (x86 huge pages), 1024 regions, 2^32 pages (16 TiB of 4 KiB pages) — beyond
     * any memory this machine kind has, far below what would overflow.
     */
    public static final Limits DEFAULT = new Limits(2 << 20, 1024, 1L << 32);

    public Limits {
        if (maxPageSize < StreamHeader.MIN_PAGE_SIZE || maxPageSize > StreamHeader.MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("maxPageSize " + maxPageSize + " is outside "
                    + StreamHeader.MIN_PAGE_SIZE + ".." + StreamHeader.MAX_PAGE_SIZE);
        }
        if (maxRegions < 1 || maxRegions > StreamHeader.MAX_REGIONS) {
            throw new IllegalArgumentException("maxRegions " + maxRegions + " is outside 1.." + StreamHeader.MAX_REGIONS);
        }
        if (maxPages < 1) {
            throw new IllegalArgumentException("maxPages " + maxPages + " must be at least 1");
        }
    }
}
