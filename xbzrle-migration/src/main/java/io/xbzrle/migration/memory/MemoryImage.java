package io.xbzrle.migration.memory;

/**
 * The destination side of a migration: the memory that records are applied onto, page by page, in
 * stream order (an XBZRLE record is decoded in place onto the page the image already holds).
 *
 * <p>Not thread-safe: one thread at a time (the destination's applier; then the same thread hashes
 * it with {@link MemoryDigest}). Pages start zero-filled, except in a file image opened on an
 * existing file, which keeps the file's bytes until they are written.
 */
public interface MemoryImage extends PageSource, AutoCloseable {

    /**
     * Copies a page from {@code src} at {@code off} into page {@code index}.
     *
     * @throws IndexOutOfBoundsException when the index is out of range or {@code src} does not hold a
     *     page at {@code off}
     */
    void writePage(long index, byte[] src, int off);

    /** Fills page {@code index} with zeros. @throws IndexOutOfBoundsException when out of range */
    void zeroPage(long index);

    /**
     * Makes every page written so far durable (for a file image: on the storage device). Nothing to
     * do for memory on the heap.
     *
     * @throws java.io.UncheckedIOException naming the file when it cannot be written
     */
    void force();

    /**
     * Releases the image. Idempotent; afterwards its methods throw {@link IllegalStateException}.
     * Does not {@link #force()}.
     *
     * @throws java.io.UncheckedIOException naming the file when it cannot be closed
     */
    @Override
    void close();
}
