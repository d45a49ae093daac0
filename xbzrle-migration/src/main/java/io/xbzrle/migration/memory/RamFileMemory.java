package io.xbzrle.migration.memory;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * Guest memory in a file ({@code --ram-file}, e.g. a QEMU {@code memory-backend-file} under
 * {@code /dev/shm}), mapped read-only in chunks of up to 1 GiB. The file's size, taken when it is
 * opened, must be a positive whole number of pages; it must not shrink while mapped (the JVM would
 * fail with an {@link InternalError} on the next access beyond the end).
 *
 * <p>Dirty pages are found by content: one 64-bit {@linkplain Fingerprint fingerprint} per page,
 * kept in a {@code long[]}. The first sync marks every page dirty and fingerprints every page; each
 * later sync re-fingerprints every page and marks those whose fingerprint changed. {@link #readPage}
 * also records the fingerprint of the copy it returns, so a page changed and changed back between a
 * sync and its copy is still seen as differing from what was sent. A write that leaves a page as it
 * was sent is not seen (nothing needs sending); two different contents with the same fingerprint
 * (chance 2^-64 per change) would be missed.
 *
 * <p>The writer is another process: {@link #pause()}, {@link #resume()} and {@link #throttle(double)}
 * cannot stop or slow it and only record the request. If it keeps writing, the final round races
 * with it and the digests after switchover may differ: stop the writer (for QEMU: {@code stop}) before
 * the final round for a verified migration.
 *
 * <p>Threading: one thread (the migration thread) calls every method; not thread-safe. The mapping
 * stays until the buffers are garbage-collected; {@link #close()} drops them.
 */
public final class RamFileMemory implements GuestMemory {


    private final Path file;
    private final String name;
    private final int pageSize;
    private final int pageShift;
    private final long pageCount;
    private final MappedByteBuffer[] chunks;
    /** The fingerprint of what each page last held when synced or read; 0 before the first sync. */
    private final long[] fingerprints;
    private boolean paused;
    private boolean closed;

    private RamFileMemory(Path file, String name, int pageSize, long pageCount, MappedByteBuffer[] chunks) {
        this.file = file;
        this.name = name;
        this.pageSize = pageSize;
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.pageCount = pageCount;
        this.chunks = chunks;
        this.fingerprints = new long[(int) pageCount];
    }

    /** Opens {@code file} as region {@code ram}: see {@link #open(Path, String, int)}. */
    public static RamFileMemory open(Path file, int pageSize) throws IOException {
        return open(file, "ram", pageSize);
    }

    /**
     * Maps {@code file} read-only.
     *
     * @param name the region's name in the migration stream
     * @param pageSize a power of two from 64 bytes to 1 GiB
     * @throws IOException with a one-line message naming the file when it cannot be opened or mapped,
     *     is not a regular file, is empty, or its size is not a whole number of pages
     * @throws IllegalArgumentException when the page size or name is invalid
     */
    public static RamFileMemory open(Path file, String name, int pageSize) throws IOException {
        Objects.requireNonNull(file, "file is null");
        Objects.requireNonNull(name, "name is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("region name is blank");
        }
        Pages.checkPageSize(pageSize);
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IOException(file + ": not a regular file");
        }
        try (FileChannel channel = openChannel(file)) {
            long size;
            try {
                size = channel.size();
            } catch (IOException e) {
                throw Pages.ioError(file, "read the size of", e);
            }
            if (size == 0) {
                throw new IOException(file + ": the file is empty");
            }
            if (size % pageSize != 0) {
                throw new IOException(file + ": size " + size + " bytes is not a whole number of " + pageSize
                        + "-byte pages");
            }
            long pages = size / pageSize;
            if (pages > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": size " + size + " bytes is too many pages (" + pages + ")");
            }
            MappedByteBuffer[] chunks = new MappedByteBuffer[Pages.chunkCount(size)];
            for (int k = 0; k < chunks.length; k++) {
                try {
                    chunks[k] = channel.map(FileChannel.MapMode.READ_ONLY, (long) k << Pages.CHUNK_SHIFT,
                            Pages.chunkLength(size, k));
                } catch (IOException e) {
                    throw Pages.ioError(file, "map", e);
                }
                chunks[k].order(ByteOrder.LITTLE_ENDIAN);
            }
            return new RamFileMemory(file, name, pageSize, pages, chunks);
        }
    }

    private static FileChannel openChannel(Path file) throws IOException {
        try {
            return FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw Pages.ioError(file, "open", e);
        }
    }

    /** The mapped file. */
    public Path file() {
        return file;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int pageSize() {
        return pageSize;
    }

    @Override
    public long pageCount() {
        return pageCount;
    }

    /** Copies the page, and records the copy's fingerprint as what was last handed out. */
    @Override
    public void readPage(long index, byte[] dst, int off) {
        checkOpen();
        Pages.checkPage(index, pageCount, dst, off, pageSize);
        long pos = index << pageShift;
        Pages.get(chunks, pos, dst, off, pageSize);
        fingerprints[(int) index] = Fingerprint.of(dst, off, pageSize);
    }

    @Override
    public void syncDirtyLog(DirtyBitmap into) {
        checkOpen();
        Objects.requireNonNull(into, "bitmap is null");
        if (into.pages() != pageCount) {
            throw new IllegalArgumentException("bitmap covers " + into.pages() + " pages, " + file + " has "
                    + pageCount);
        }
        into.clear();
        long[] words = into.words;
        for (int page = 0; page < pageCount; page++) {
            long pos = (long) page << pageShift;
            long now = Fingerprint.of(Pages.chunk(chunks, pos), Pages.offset(pos), pageSize);
            if (now != fingerprints[page]) {
                fingerprints[page] = now;
                words[page >>> 6] |= 1L << page;
            }
        }
    }

    /** Records the request only: an external writer cannot be stopped from here (see the class comment). */
    @Override
    public void pause() {
        checkOpen();
        paused = true;
    }

    /** Records the request only. */
    @Override
    public void resume() {
        checkOpen();
        paused = false;
    }

    @Override
    public boolean paused() {
        return paused;
    }

    /** A no-op: an external writer cannot be throttled. */
    @Override
    public void throttle(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("throttle must be >= 0 and < 1, not " + fraction);
        }
        checkOpen();
    }

    @Override
    public void close() {
        closed = true;
        Arrays.fill(chunks, null);
    }

    @Override
    public String toString() {
        return "RamFileMemory[" + name + ", " + file + ", " + pageCount + " pages]";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(file + ": closed");
        }
    }
}
