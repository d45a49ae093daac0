package io.xbzrle.migration.stream;

import java.util.Arrays;
import java.util.List;

/** Region lookup by id without allocation: ids sorted, binary search. Immutable; thread-safe. */
final class Regions {
    private final int[] ids;
    private final long[] pages;

    Regions(List<Region> regions) {
        Region[] sorted = regions.toArray(new Region[0]);
        Arrays.sort(sorted, (a, b) -> Integer.compare(a.id(), b.id()));
        ids = new int[sorted.length];
        pages = new long[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            ids[i] = sorted[i].id();
            pages[i] = sorted[i].pages();
        }
    }

    /** The page count of a region, or -1 if there is no region of that id. */
    long pages(int id) {
        int i = Arrays.binarySearch(ids, id);
        return i < 0 ? -1 : pages[i];
    }
}
