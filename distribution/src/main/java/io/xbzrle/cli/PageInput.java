package io.xbzrle.cli;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file of whole pages, read a batch at a time into one reused buffer. Its size is checked at
 * open: it must be a whole number of pages.
 */
final class PageInput implements AutoCloseable {
    private static final int BATCH_BYTES = 1 << 20;

    private final Path path;
    private final FileChannel channel;
    private final int pageSize;
    private final long pages;
    private final byte[] buffer;
    private long nextPage;

    private PageInput(Path path, FileChannel channel, int pageSize, long pages) {
        this.path = path;
        this.channel = channel;
        this.pageSize = pageSize;
        this.pages = pages;
        this.buffer = new byte[Math.max(pageSize, BATCH_BYTES / pageSize * pageSize)];
    }

    /** Opens {@code path}; {@code option} names the flag it came from, for messages. */
    static PageInput open(Path path, int pageSize, String option) {
        try {
            if (Files.isDirectory(path)) {
                throw new UserException(option + " " + path + ": is a folder, not a file");
            }
            FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
            long size = ch.size();
            if (size % pageSize != 0) {
                ch.close();
                throw new UserException(option + " " + path + ": " + size + " bytes is not a whole number of "
                        + pageSize + "-byte pages (last page " + size / pageSize + " is " + size % pageSize
                        + " bytes)");
            }
            return new PageInput(path, ch, pageSize, size / pageSize);
        } catch (NoSuchFileException e) {
            throw new UserException(option + " " + path + ": no such file");
        } catch (IOException e) {
            throw new UserException(option + " " + path + ": cannot be read: " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    long pages() {
        return pages;
    }

    /** The buffer that {@link #next()} fills. */
    byte[] buffer() {
        return buffer;
    }

    /** Reads the next batch of pages into {@link #buffer()}; returns how many (0 at the end). */
    int next() {
        int n = (int) Math.min(buffer.length / pageSize, pages - nextPage);
        if (n == 0) {
            return 0;
        }
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, n * pageSize);
        try {
            while (b.hasRemaining()) {
                if (channel.read(b) < 0) {
                    throw new EOFException("the file shrank while being read");
                }
            }
        } catch (IOException e) {
            throw new UserException(path + ": read failed at page " + nextPage + ": " + e.getMessage(), e);
        }
        nextPage += n;
        return n;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Read-only: nothing is lost if closing fails.
        }
    }
}
