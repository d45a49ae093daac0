package io.xbzrle.migration.memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/** Checks and layout arithmetic shared by the memories and images of this package. */
final class Pages {

    /** The smallest page size accepted. */
    static final int MIN_PAGE_SIZE = 64;

    /** Memory is held and mapped in chunks of at most this many bytes (a multiple of any page size). */
    static final int CHUNK_SHIFT = 30;

    private Pages() {
    }

    /** @throws IllegalArgumentException unless a power of two from 64 bytes to 1 GiB */
    static int checkPageSize(int pageSize) {
        if (Integer.bitCount(pageSize) != 1 || pageSize < MIN_PAGE_SIZE || pageSize > 1 << CHUNK_SHIFT) {
            throw new IllegalArgumentException("page size must be a power of two from " + MIN_PAGE_SIZE
                    + " bytes to 1 GiB, not " + pageSize);
        }
        return pageSize;
    }

    /** Checks a page index and that {@code buf} holds a page at {@code off}. */
    static void checkPage(long index, long pageCount, byte[] buf, int off, int pageSize) {
        Objects.checkIndex(index, pageCount);
        Objects.checkFromIndexSize(off, pageSize, Objects.requireNonNull(buf, "buffer is null").length);
    }

    /** The chunk that holds byte {@code pos} of memory laid out in chunks of {@code 1 << CHUNK_SHIFT}. */
    static ByteBuffer chunk(ByteBuffer[] chunks, long pos) {
        return chunks[(int) (pos >>> CHUNK_SHIFT)];
    }

    /** Where byte {@code pos} is within its chunk. */
    static int offset(long pos) {
        return (int) (pos & ((1L << CHUNK_SHIFT) - 1));
    }

    /** Copies {@code length} bytes at {@code pos} (within one chunk) into {@code dst}. */
    static void get(ByteBuffer[] chunks, long pos, byte[] dst, int off, int length) {
        chunk(chunks, pos).get(offset(pos), dst, off, length);
    }

    /** Copies {@code length} bytes of {@code src} to {@code pos} (within one chunk). */
    static void put(ByteBuffer[] chunks, long pos, byte[] src, int off, int length) {
        chunk(chunks, pos).put(offset(pos), src, off, length);
    }

    /** The number of chunks that hold {@code bytes}. */
    static int chunkCount(long bytes) {
        return Math.toIntExact((bytes + (1L << CHUNK_SHIFT) - 1) >>> CHUNK_SHIFT);
    }

    /** The length of chunk {@code k} of memory of {@code bytes}. */
    static int chunkLength(long bytes, int k) {
        return (int) Math.min(1L << CHUNK_SHIFT, bytes - ((long) k << CHUNK_SHIFT));
    }

    /**
     * Off-heap memory of {@code bytes}, zero-filled, in chunks of up to 1 GiB.
     *
     * @param what what it is for, for the message
     * @throws IllegalStateException when the JVM's direct-memory limit is too low (the message says
     *     how to raise it)
     */
    static ByteBuffer[] allocateDirect(long bytes, String what) {
        ByteBuffer[] result = new ByteBuffer[chunkCount(bytes)];
        try {
            for (int k = 0; k < result.length; k++) {
                result[k] = ByteBuffer.allocateDirect(chunkLength(bytes, k)).order(ByteOrder.LITTLE_ENDIAN);
            }
        } catch (OutOfMemoryError e) {
            Arrays.fill(result, null);
            throw new IllegalStateException("Cannot allocate " + what + " of " + bytes + " bytes off-heap ("
                    + e.getMessage() + "); raise -XX:MaxDirectMemorySize (JAVA_OPTS) or choose a smaller size", e);
        }
        return result;
    }

    /** A one-line I/O error naming the file: {@code /dev/shm/ram: cannot open: no such file}. */
    static IOException ioError(Path file, String doing, IOException e) {
        String reason;
        if (e instanceof NoSuchFileException) {
            reason = "no such file";
        } else if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            reason = ((FileSystemException) e).getReason();
        } else {
            reason = String.valueOf(e.getMessage());
        }
        return new IOException(file + ": cannot " + doing + ": " + reason, e);
    }
}
