package io.xbzrle.migration.stream;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a migration stream starts with: the format version, the page size, the memory regions, and
 * the capabilities the destination needs (XBZRLE on or off, the codec's name). Immutable.
 *
 * @param version the stream format version, 1..65535 (this build writes and reads {@link #VERSION_1})
 * @param pageSize bytes per page: a power of two from {@link #MIN_PAGE_SIZE} to {@link #MAX_PAGE_SIZE}
 * @param regions 1..65535 regions with unique ids (copied)
 * @param xbzrle whether the stream may hold XBZRLE records
 * @param codec the codec's name, 1..64 characters (as configured, e.g. {@code xbzrle})
 * @throws IllegalArgumentException if a value is out of range
 */
public record StreamHeader(int version, int pageSize, List<Region> regions, boolean xbzrle, String codec) {
    /** The only version this build writes and reads. */
    public static final int VERSION_1 = 1;
    /** The smallest page size. */
    public static final int MIN_PAGE_SIZE = 64;
    /** The largest page size: 16 MiB. */
    public static final int MAX_PAGE_SIZE = 16 << 20;
    /** The most regions (a u16 count on the wire). */
    public static final int MAX_REGIONS = 0xFFFF;
    /** The longest codec name, in characters. */
    public static final int MAX_CODEC_LENGTH = 64;
    /** The smallest frame payload capacity. */
    public static final int MIN_FRAME_CAPACITY = 256 << 10;

    public StreamHeader {
        requireNonNull(regions, "regions is null");
        requireNonNull(codec, "codec is null");
        if (version < 1 || version > 0xFFFF) {
            throw new IllegalArgumentException("stream version " + version + " is outside 1..65535");
        }
        if (!validPageSize(pageSize)) {
            throw new IllegalArgumentException("page size " + pageSize + " is not a power of two from "
                    + MIN_PAGE_SIZE + " to " + MAX_PAGE_SIZE);
        }
        regions = List.copyOf(regions);
        if (regions.isEmpty() || regions.size() > MAX_REGIONS) {
            throw new IllegalArgumentException(regions.size() + " regions; must be 1.." + MAX_REGIONS);
        }
        Set<Integer> ids = new HashSet<>();
        long totalPages = 0;
        for (Region r : regions) {
            if (!ids.add(r.id())) {
                throw new IllegalArgumentException("region id " + r.id() + " appears twice");
            }
            totalPages += r.pages();
            if (totalPages < 0 || totalPages > Long.MAX_VALUE / pageSize) {
                throw new IllegalArgumentException("the regions' total size overflows 2^63 bytes");
            }
        }
        if (codec.isEmpty() || codec.length() > MAX_CODEC_LENGTH) {
            throw new IllegalArgumentException("codec name '" + codec + "' is " + codec.length()
                    + " characters; must be 1.." + MAX_CODEC_LENGTH);
        }
        Utf8.encode(codec, "codec name");
    }

    /** A version 1 header. */
    public static StreamHeader v1(int pageSize, List<Region> regions, boolean xbzrle, String codec) {
        return new StreamHeader(VERSION_1, pageSize, regions, xbzrle, codec);
    }

    /** Whether a page size is allowed: a power of two from 64 bytes to 16 MiB. */
    public static boolean validPageSize(int pageSize) {
        return pageSize >= MIN_PAGE_SIZE && pageSize <= MAX_PAGE_SIZE && Integer.bitCount(pageSize) == 1;
    }

    /** The payload capacity of a frame for a page size: max(256 KiB, page size + 64). */
    public static int frameCapacity(int pageSize) {
        return Math.max(MIN_FRAME_CAPACITY, pageSize + 64);
    }

    /** The payload capacity of this stream's frames: max(256 KiB, page size + 64). */
    public int frameCapacity() {
        return frameCapacity(pageSize);
    }

    /** The sum of the regions' pages. */
    public long totalPages() {
        long n = 0;
        for (Region r : regions) {
            n += r.pages();
        }
        return n;
    }
}
