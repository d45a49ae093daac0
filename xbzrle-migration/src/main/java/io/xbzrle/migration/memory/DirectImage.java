package io.xbzrle.migration.memory;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A destination image in off-heap memory (direct buffers of up to 1 GiB), the default when no
 * {@code --ram-file} is given: unlike a heap image it adds no garbage-collector slack to the
 * process's size and needs no {@code -Xmx} above the guest's size (the JVM's
 * {@code -XX:MaxDirectMemorySize} bounds it; the launcher raises it). Zero-filled when made.
 *
 * <p>Not thread-safe: see {@link MemoryImage}.
 */
public final class DirectImage implements MemoryImage {
    private static final byte[] ZEROS = new byte[64 << 10];

    private final int pageSize;
    private final int pageShift;
    private final long pageCount;
    private ByteBuffer[] chunks;
    private final Runnable onClose;

    /**
     * @param pageSize a power of two from 64 bytes to 1 GiB
     * @param pageCount how many pages, {@code >= 0}
     * @throws IllegalArgumentException when out of range
     * @throws IllegalStateException when the direct-memory limit is too low
     */
    public DirectImage(int pageSize, long pageCount) {
        this(pageSize, pageCount, () -> { });
    }

    /**
     * The same, running {@code onClose} once when the image is first closed (a budget it is held
     * against).
     */
    public DirectImage(int pageSize, long pageCount, Runnable onClose) {
        this.onClose = Objects.requireNonNull(onClose, "onClose is null");
        Pages.checkPageSize(pageSize);
        if (pageCount < 0) {
            throw new IllegalArgumentException("page count must be >= 0, not " + pageCount);
        }
        this.pageSize = pageSize;
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.pageCount = pageCount;
        this.chunks = Pages.allocateDirect(pageCount << pageShift, "a memory image");
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
        ByteBuffer[] c = open();
        Pages.checkPage(index, pageCount, dst, off, pageSize);
        long pos = index << pageShift;
        Pages.get(c, pos, dst, off, pageSize);
    }

    @Override
    public void writePage(long index, byte[] src, int off) {
        ByteBuffer[] c = open();
        Pages.checkPage(index, pageCount, src, off, pageSize);
        long pos = index << pageShift;
        Pages.put(c, pos, src, off, pageSize);
    }

    @Override
    public void zeroPage(long index) {
        ByteBuffer[] c = open();
        Objects.checkIndex(index, pageCount);
        long pos = index << pageShift;
        ByteBuffer chunk = Pages.chunk(c, pos);
        int at = Pages.offset(pos);
        for (int done = 0; done < pageSize; done += ZEROS.length) {
            chunk.put(at + done, ZEROS, 0, Math.min(ZEROS.length, pageSize - done));
        }
    }

    /** Nothing to make durable in memory. */
    @Override
    public void force() {
        open();
    }

    /** Drops the buffers; the JVM frees them at a later garbage collection. */
    @Override
    public void close() {
        if (chunks != null) {
            Arrays.fill(chunks, null);
            chunks = null;
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "DirectImage[" + pageCount + " pages of " + pageSize + " bytes]";
    }

    private ByteBuffer[] open() {
        ByteBuffer[] c = chunks;
        if (c == null) {
            throw new IllegalStateException("memory image is closed");
        }
        return c;
    }
}
