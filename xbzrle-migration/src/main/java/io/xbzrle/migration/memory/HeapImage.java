package io.xbzrle.migration.memory;

import io.xbzrle.api.cache.support.PageSlabs;
import java.util.Arrays;
import java.util.Objects;

/**
 * A destination image on the Java heap, in {@code byte[]} slabs of up to 64 MiB (so a guest needs
 * {@code -Xmx} above its size). All memory is allocated, zero-filled, when the image is made.
 *
 * <p>Not thread-safe: see {@link MemoryImage}.
 */
public final class HeapImage implements MemoryImage {

    private final int pageSize;
    private final long pageCount;
    private PageSlabs slabs;

    /**
     * @param pageSize a power of two from 64 bytes to 1 GiB
     * @param pageCount how many pages, {@code >= 0}
     * @throws IllegalArgumentException when out of range
     * @throws OutOfMemoryError when the heap cannot hold the image
     */
    public HeapImage(int pageSize, long pageCount) {
        Pages.checkPageSize(pageSize);
        if (pageCount < 0) {
            throw new IllegalArgumentException("page count must be >= 0, not " + pageCount);
        }
        this.pageSize = pageSize;
        this.pageCount = pageCount;
        this.slabs = new PageSlabs(pageSize, Math.max(pageSize, PageSlabs.DEFAULT_MAX_SLAB_BYTES), pageCount);
    }

    @Override
    public int pageSize() {
        return pageSize;
    }

    @Override
    public long pageCount() {
        return pageCount;
    }

    @Override
    public void readPage(long index, byte[] dst, int off) {
        PageSlabs s = open();
        Pages.checkPage(index, pageCount, dst, off, pageSize);
        System.arraycopy(s.array(index), s.offset(index), dst, off, pageSize);
    }

    @Override
    public void writePage(long index, byte[] src, int off) {
        PageSlabs s = open();
        Pages.checkPage(index, pageCount, src, off, pageSize);
        s.copyIn(index, src, off);
    }

    @Override
    public void zeroPage(long index) {
        PageSlabs s = open();
        Objects.checkIndex(index, pageCount);
        int at = s.offset(index);
        Arrays.fill(s.array(index), at, at + pageSize, (byte) 0);
    }

    /** Nothing to do on the heap. */
    @Override
    public void force() {
        open();
    }

    @Override
    public void close() {
        slabs = null;
    }

    @Override
    public String toString() {
        return "HeapImage[" + pageCount + " pages of " + pageSize + " bytes]";
    }

    private PageSlabs open() {
        PageSlabs s = slabs;
        if (s == null) {
            throw new IllegalStateException("memory image is closed");
        }
        return s;
    }
}
