package io.xbzrle.api.cache.support;

import java.util.Arrays;

/**
 * Page storage in large {@code byte[]} slabs: slot {@code s} is page {@code s & slabMask} of slab
 * {@code s >>> slabShift}. Every slab holds the same power-of-two number of pages but the last,
 * which holds only what the capacity needs. All slabs are allocated when the capacity is set
 * (eagerly: a cache that cannot have its memory fails when it is made or resized, not mid-round).
 *
 * <p>Not thread-safe: used by the cache's owner thread only.
 */
public final class PageSlabs {

    /** The largest slab, in bytes. */
    public static final int DEFAULT_MAX_SLAB_BYTES = 64 << 20;

    private final int pageSize;
    private final int pageShift;
    private final int slabShift;
    private final long slabMask;
    private byte[][] slabs;
    private long pages;

    /**
     * @param pageSize a power of two
     * @param maxSlabBytes a power of two: the largest slab (a slab holds at least one page)
     * @param pages how many pages to hold
     */
    public PageSlabs(int pageSize, int maxSlabBytes, long pages) {
        if (Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size must be a power of two, got " + pageSize);
        }
        if (Integer.bitCount(maxSlabBytes) != 1) {
            throw new IllegalArgumentException("slab size must be a power of two, got " + maxSlabBytes);
        }
        if (pages < 0) {
            throw new IllegalArgumentException("pages must be >= 0, got " + pages);
        }
        this.pageSize = pageSize;
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.slabShift = Math.max(0, Integer.numberOfTrailingZeros(maxSlabBytes) - pageShift);
        this.slabMask = (1L << slabShift) - 1;
        this.slabs = new byte[0][];
        resize(pages);
    }

    /** The slab that holds slot {@code slot}. */
    public byte[] array(long slot) {
        return slabs[(int) (slot >>> slabShift)];
    }

    /** Where slot {@code slot} starts in {@link #array(long)}. */
    public int offset(long slot) {
        return (int) (slot & slabMask) << pageShift;
    }

    /** Copies a page from {@code src} into slot {@code slot}. */
    public void copyIn(long slot, byte[] src, int srcOffset) {
        System.arraycopy(src, srcOffset, array(slot), offset(slot), pageSize);
    }

    /** Copies the page in slot {@code from} to slot {@code to}. */
    public void move(long from, long to) {
        System.arraycopy(array(from), offset(from), array(to), offset(to), pageSize);
    }

    /** How many pages the slabs hold. */
    public long pages() {
        return pages;
    }

    /**
     * Changes how many pages the slabs hold. Slots below both the old and the new count keep their
     * bytes; slabs that no longer fit are dropped and a shortened last slab is copied.
     */
    public void resize(long newPages) {
        long pagesPerSlab = slabMask + 1;
        int count = Math.toIntExact((newPages + pagesPerSlab - 1) / pagesPerSlab);
        byte[][] next = new byte[count][];
        for (int k = 0; k < count; k++) {
            long slabPages = Math.min(pagesPerSlab, newPages - k * pagesPerSlab);
            int length = Math.toIntExact(slabPages << pageShift);
            if (k < slabs.length) {
                next[k] = slabs[k].length == length ? slabs[k] : Arrays.copyOf(slabs[k], length);
            } else {
                next[k] = new byte[length];
            }
        }
        slabs = next;
        pages = newPages;
    }
}
