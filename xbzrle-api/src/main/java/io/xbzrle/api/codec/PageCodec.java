package io.xbzrle.api.codec;

/**
 * Encodes the difference between two versions of a page as a delta, and applies a delta to a page.
 *
 * <p><b>Buffers.</b> Every method works on a caller-owned {@code byte[]} and an offset, so a page may
 * sit inside a larger slab. The codec keeps no reference to any argument after the call returns and
 * never writes outside the ranges described for each method. Methods allocate nothing per call.
 *
 * <p><b>Threading.</b> A codec holds no per-call state: one instance may be used by many threads at
 * once, each with its own buffers.
 *
 * <p><b>Errors.</b> {@link #decode} throws {@link CorruptDeltaException} for every input that is not
 * a valid delta; no other exception results from the content of the input. Null arrays and offsets
 * that put a range outside its array are programming errors and throw
 * {@link IndexOutOfBoundsException} or {@link NullPointerException} before anything is written.
 */
public interface PageCodec {

    /** Returned by {@link #encode} when the delta would not fit in the output limit. */
    int OVERFLOW = -1;

    /** The page size in bytes that this codec was created for. */
    int pageSize();

    /**
     * Encodes how {@code current} differs from {@code old}.
     *
     * @param old the previous version of the page: {@code pageSize()} bytes at {@code oldOffset}
     * @param oldOffset where the old page starts
     * @param current the new version: {@code pageSize()} bytes at {@code currentOffset}
     * @param currentOffset where the new page starts
     * @param out receives the delta at {@code outOffset}
     * @param outOffset where the delta is written
     * @param outLimit the most bytes the delta may take; nothing is written at or past
     *     {@code outOffset + outLimit}, but any byte before it may be overwritten even when the
     *     result is {@link #OVERFLOW} or shorter
     * @return the delta's length (positive), {@code 0} when the pages are identical (nothing to
     *     send), or {@link #OVERFLOW} when the delta would be longer than {@code outLimit}
     */
    int encode(byte[] old, int oldOffset, byte[] current, int currentOffset,
               byte[] out, int outOffset, int outLimit);

    /**
     * Applies a delta in place onto a page that holds the version the delta was made against.
     * Bytes the delta does not cover are left as they are. The page may be partly updated when
     * the delta turns out to be corrupt; it is never written outside its {@code pageSize()} bytes.
     *
     * @param delta holds the delta at {@code deltaOffset}
     * @param deltaOffset where the delta starts
     * @param deltaLength the delta's length; {@code 0} changes nothing
     * @param page the page to update: {@code pageSize()} bytes at {@code pageOffset}
     * @param pageOffset where the page starts
     * @return the offset within the page just past the last byte written ({@code 0} for an empty
     *     delta)
     * @throws CorruptDeltaException if the delta is not a valid encoding; it tells the offset of
     *     the fault within the delta
     */
    int decode(byte[] delta, int deltaOffset, int deltaLength, byte[] page, int pageOffset)
            throws CorruptDeltaException;

    /**
     * Tells whether the {@code pageSize()} bytes at {@code offset} are all zero (such a page is sent
     * as a zero page and never encoded).
     */
    boolean isZeroPage(byte[] page, int offset);
}
