package io.xbzrle.migration.memory;

/**
 * Memory read page by page: what {@link MemoryDigest} hashes. Both sides of a migration are page
 * sources: the source's {@link GuestMemory} and the destination's {@link MemoryImage}.
 *
 * <p>Threading is the implementation's: see {@link GuestMemory} and {@link MemoryImage}.
 */
public interface PageSource {

    /** The page size in bytes: a power of two. */
    int pageSize();

    /** How many pages. */
    long pageCount();

    /**
     * Copies page {@code index} into {@code dst} at {@code off}.
     *
     * @throws IndexOutOfBoundsException when the index is out of range or {@code dst} does not hold a
     *     page at {@code off}
     */
    void readPage(long index, byte[] dst, int off);
}
