package io.xbzrle.migration.stream;

/** The record types of the version 1 stream, with their type byte on the wire. */
public enum RecordType {
    /** A whole page: u16 region, u64 index, the page's bytes. */
    RAW(1),
    /** An all-zero page: u16 region, u64 index. */
    ZERO(2),
    /** An XBZRLE delta against the page the destination holds: u16 region, u64 index, u32 length, the delta. */
    XBZRLE(3),
    /** The end of a pre-copy round: u64 round, u64 pages sent, u64 bytes sent. */
    ROUND_END(4),
    /** The end of a successful migration: u64 page count, the 32-byte SHA-256 of the final memory. */
    COMPLETE(5),
    /** The source gave up: u16 length, the reason in UTF-8 (at most 1000 bytes). */
    ABORT(6);

    private static final RecordType[] BY_CODE = {null, RAW, ZERO, XBZRLE, ROUND_END, COMPLETE, ABORT};

    private final int code;

    RecordType(int code) {
        this.code = code;
    }

    /** The type byte on the wire. */
    public int code() {
        return code;
    }

    /** The type of a type byte, or {@code null} for an unknown one. */
    static RecordType ofCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
