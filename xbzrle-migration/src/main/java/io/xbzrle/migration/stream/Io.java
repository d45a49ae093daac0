package io.xbzrle.migration.stream;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;

/** Channel helpers shared by the writer, the reader and the return path. Stateless. */
final class Io {
    private Io() {
    }

    /** Rejects a selectable channel in non-blocking mode: the stream needs blocking reads and writes. */
    static void requireBlocking(Object channel) {
        if (channel instanceof SelectableChannel && !((SelectableChannel) channel).isBlocking()) {
            throw new IllegalArgumentException("the channel is in non-blocking mode; the migration stream needs a blocking channel");
        }
    }

    /**
     * The exception for a thread interrupted while it waits for the stream's other thread; the
     * interrupt is kept set.
     */
    static InterruptedIOException interrupted(String what, InterruptedException e) {
        Thread.currentThread().interrupt();
        InterruptedIOException x = new InterruptedIOException("interrupted while waiting for " + what);
        x.initCause(e);
        return x;
    }

    /**
     * Reads until {@code buf} has no bytes remaining or the channel ends.
     *
     * @return the number of bytes read (less than were remaining only at end-of-stream)
     */
    static int readFully(ReadableByteChannel ch, ByteBuffer buf) throws IOException {
        int total = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
