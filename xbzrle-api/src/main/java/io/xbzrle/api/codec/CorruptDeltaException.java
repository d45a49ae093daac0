package io.xbzrle.api.codec;

/**
 * A delta that is not a valid encoding: truncated, a run past the end of the page, a malformed
 * length. {@link #offset()} is the byte offset of the fault, relative to the start of the delta.
 */
public final class CorruptDeltaException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int offset;

    /**
     * @param offset the offset of the fault within the delta
     * @param reason what is wrong, such as {@code "nzrun of length 0"}
     */
    public CorruptDeltaException(int offset, String reason) {
        super(reason + " at delta offset " + offset);
        this.offset = offset;
    }

    /** The offset of the fault within the delta. */
    public int offset() {
        return offset;
    }
}
