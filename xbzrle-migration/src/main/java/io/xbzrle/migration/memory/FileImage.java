package io.xbzrle.migration.memory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;

/**
 * A destination image in a file ({@code receive --ram-file PATH}): the file is created or opened,
 * its length set to the guest's size (cut or extended; extended bytes read as zero, and on most
 * file systems take no space until written), and mapped read-write in chunks of up to 1 GiB. Pages
 * keep the file's previous bytes until written: a migration writes every page in its first pass.
 *
 * <p>Writes reach the file through the page cache; {@link #force()} makes them durable. Not
 * thread-safe: see {@link MemoryImage}. The mapping stays until the buffers are garbage-collected;
 * {@link #close()} closes the file and drops them.
 */
public final class FileImage implements MemoryImage {


    private final Path file;
    private final FileChannel channel;
    private final int pageSize;
    private final int pageShift;
    private final long pageCount;
    private final MappedByteBuffer[] chunks;
    private final byte[] zeros;
    private boolean closed;

    private FileImage(Path file, FileChannel channel, int pageSize, long pageCount, MappedByteBuffer[] chunks) {
        this.file = file;
        this.channel = channel;
        this.pageSize = pageSize;
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.pageCount = pageCount;
        this.chunks = chunks;
        this.zeros = new byte[pageSize];
    }

    /**
     * Creates or opens {@code file}, sets its length to {@code pageSize * pageCount} bytes and maps
     * it.
     *
     * @param pageSize a power of two from 64 bytes to 1 GiB
     * @param pageCount how many pages, {@code >= 0}
     * @throws IOException with a one-line message naming the file when it cannot be created, sized
     *     or mapped, or is not a regular file
     * @throws IllegalArgumentException when the page size or count is out of range
     */
    public static FileImage open(Path file, int pageSize, long pageCount) throws IOException {
        Objects.requireNonNull(file, "file is null");
        Pages.checkPageSize(pageSize);
        if (pageCount < 0 || pageCount > Long.MAX_VALUE / pageSize) {
            throw new IllegalArgumentException("page count out of range: " + pageCount);
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IOException(file + ": not a regular file");
        }
        long size = pageCount * pageSize;
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw Pages.ioError(file, "create or open", e);
        }
        try {
            try {
                long current = channel.size();
                if (current > size) {
                    channel.truncate(size);
                } else if (current < size) {
                    channel.write(ByteBuffer.allocate(1), size - 1); // extends the file, sparse where possible
                }
            } catch (IOException e) {
                throw Pages.ioError(file, "set the size of", e);
            }
            MappedByteBuffer[] chunks = new MappedByteBuffer[Pages.chunkCount(size)];
            for (int k = 0; k < chunks.length; k++) {
                try {
                    chunks[k] = channel.map(FileChannel.MapMode.READ_WRITE, (long) k << Pages.CHUNK_SHIFT,
                            Pages.chunkLength(size, k));
                } catch (IOException e) {
                    throw Pages.ioError(file, "map", e);
                }
            }
            return new FileImage(file, channel, pageSize, pageCount, chunks);
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** The file. */
    public Path file() {
        return file;
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
        checkOpen();
        Pages.checkPage(index, pageCount, dst, off, pageSize);
        long pos = index << pageShift;
        Pages.get(chunks, pos, dst, off, pageSize);
    }

    @Override
    public void writePage(long index, byte[] src, int off) {
        checkOpen();
        Pages.checkPage(index, pageCount, src, off, pageSize);
        long pos = index << pageShift;
        Pages.put(chunks, pos, src, off, pageSize);
    }

    @Override
    public void zeroPage(long index) {
        writePage(index, zeros, 0);
    }

    @Override
    public void force() {
        checkOpen();
        try {
            for (MappedByteBuffer chunk : chunks) {
                chunk.force();
            }
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException(Pages.ioError(file, "write", e));
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException(Pages.ioError(file, "write", e.getCause()));
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Arrays.fill(chunks, null);
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(Pages.ioError(file, "close", e));
        }
    }

    @Override
    public String toString() {
        return "FileImage[" + file + ", " + pageCount + " pages of " + pageSize + " bytes]";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(file + ": memory image is closed");
        }
    }
}
