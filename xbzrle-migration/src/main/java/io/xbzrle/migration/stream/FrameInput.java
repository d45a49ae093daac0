package io.xbzrle.migration.stream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.zip.CRC32C;

/**
 * Reads one frame at a time from the channel and checks it: its length against the capacity the
 * header implies (before reading what it sizes) and its CRC32C. Counts the stream offset so that a
 * fault names where it is. Not thread-safe: one thread reads.
 */
final class FrameInput {
    private final ReadableByteChannel channel;
    private final int capacity;
    private final ByteBuffer lengthField = ByteBuffer.allocate(4);
    private final CRC32C crc = new CRC32C();
    private long offset;

    /** @param offset the stream offset of the first frame (the header's length) */
    FrameInput(ReadableByteChannel channel, int capacity, long offset) {
        this.channel = channel;
        this.capacity = capacity;
        this.offset = offset;
    }

    /** Bytes taken from the channel so far, the header's included. */
    long offset() {
        return offset;
    }

    /**
     * Reads the next frame's payload and CRC into {@code frame} (capacity + 4 bytes or more), from
     * index 0.
     *
     * @return the payload's length
     * @throws StreamException if the stream ends, or the frame's length or CRC is wrong
     */
    int read(ByteBuffer frame) throws IOException {
        long frameStart = offset;
        lengthField.clear();
        int n = Io.readFully(channel, lengthField);
        offset += n;
        if (n == 0) {
            throw new StreamException(offset, "stream ended before COMPLETE (truncated?)");
        }
        if (n < 4) {
            throw new StreamException(offset, "stream ended inside a frame's length (truncated?)");
        }
        long len = Integer.toUnsignedLong(lengthField.getInt(0));
        if (len == 0) {
            throw new StreamException(frameStart, "empty frame (corrupt stream)");
        }
        if (len > capacity) {
            throw new StreamException(frameStart, "frame length " + len + " exceeds the capacity " + capacity
                    + " implied by the header (corrupt stream)");
        }
        int size = (int) len;
        frame.clear().limit(size + 4);
        n = Io.readFully(channel, frame);
        offset += n;
        if (n < size + 4) {
            throw new StreamException(offset, "stream ended inside a frame (truncated?)");
        }
        crc.reset();
        crc.update(frame.array(), 0, size);
        if ((int) crc.getValue() != frame.getInt(size)) {
            throw new StreamException(frameStart, "frame CRC32C mismatch (corrupt stream)");
        }
        return size;
    }
}
