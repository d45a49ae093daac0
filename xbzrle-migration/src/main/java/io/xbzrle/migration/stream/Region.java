package io.xbzrle.migration.stream;

import static java.util.Objects.requireNonNull;

/**
 * One memory region of a migration (QEMU's RAM block): an id used by the records, a name for
 * messages, and its size in pages. Immutable.
 *
 * @param id the region's id in records, 0..65535, unique within a header
 * @param name 1..255 bytes of UTF-8
 * @param pages the region's size in pages, at least 1
 * @throws IllegalArgumentException if a value is out of range
 */
public record Region(int id, String name, long pages) {
    /** The largest region id (a u16 on the wire). */
    public static final int MAX_ID = 0xFFFF;
    /** The longest name in UTF-8 bytes (a u8 length on the wire). */
    public static final int MAX_NAME_BYTES = 255;

    public Region {
        requireNonNull(name, "name is null");
        if (id < 0 || id > MAX_ID) {
            throw new IllegalArgumentException("region id " + id + " is outside 0.." + MAX_ID);
        }
        int n = Utf8.encode(name, "region name").length;
        if (n < 1 || n > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("region name '" + name + "' is " + n
                    + " bytes of UTF-8; must be 1.." + MAX_NAME_BYTES);
        }
        if (pages <= 0) {
            throw new IllegalArgumentException("region '" + name + "' has " + pages + " pages; must be at least 1");
        }
    }
}
