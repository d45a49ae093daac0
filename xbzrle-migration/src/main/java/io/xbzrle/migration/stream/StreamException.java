package io.xbzrle.migration.stream;

import java.io.IOException;

/**
 * A migration stream or return-path message that is not valid: truncated, corrupt, out of the
 * header's bounds or of the reader's {@link Limits}. The message is one line naming the byte offset
 * in the stream where the fault was found and the fault, e.g.
 * {@code stream offset 123456: frame CRC32C mismatch (corrupt stream)}.
 *
 * <p>I/O errors of the underlying channel are not wrapped in this type: they propagate as they are.
 */
public final class StreamException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;

    /**
     * A fault at a stream offset.
     *
     * @param offset the byte offset from the start of the stream (the header's first byte is 0)
     * @param fault what is wrong, one line
     */
    public StreamException(long offset, String fault) {
        super("stream offset " + offset + ": " + fault);
        this.offset = offset;
    }

    /**
     * A fault in a return-path message.
     *
     * @param message one line naming the fault
     */
    public StreamException(String message) {
        super(message);
        this.offset = -1;
    }

    /** The byte offset of the fault in the stream, or -1 for a return-path message. */
    public long offset() {
        return offset;
    }
}
