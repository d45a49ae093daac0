package io.xbzrle.migration.memory;

import java.util.Arrays;
import java.util.Objects;

/**
 * One bit per page: the pages a dirty-log sync found written. A fixed number of pages, given at
 * construction.
 *
 * <p>Not thread-safe: used by its owner thread only (the migration thread, which passes it to
 * {@link GuestMemory#syncDirtyLog(DirtyBitmap)} and then walks it with {@link #nextSetBit(long)}).
 */
public final class DirtyBitmap {

    /** Bit {@code i & 63} of word {@code i >>> 6} is page {@code i}; bits past {@link #pages} are 0. */
    final long[] words;
    private final long pages;

    /**
     * @param pages how many pages, {@code 0 <= pages <= 2^37}
     * @throws IllegalArgumentException when out of range
     */
    public DirtyBitmap(long pages) {
        if (pages < 0 || pages > 1L << 37) {
            throw new IllegalArgumentException("page count must be from 0 to 2^37, not " + pages);
        }
        this.pages = pages;
        this.words = new long[(int) ((pages + 63) >>> 6)];
    }

    /** How many pages the bitmap covers. */
    public long pages() {
        return pages;
    }

    /** Marks page {@code index}. @throws IndexOutOfBoundsException when out of range */
    public void set(long index) {
        Objects.checkIndex(index, pages);
        words[(int) (index >>> 6)] |= 1L << index;
    }

    /** Whether page {@code index} is marked. @throws IndexOutOfBoundsException when out of range */
    public boolean get(long index) {
        Objects.checkIndex(index, pages);
        return (words[(int) (index >>> 6)] & (1L << index)) != 0;
    }

    /**
     * The first marked page at or after {@code from}, or -1 when there is none (also when
     * {@code from >= pages()}).
     *
     * @throws IndexOutOfBoundsException when {@code from} is negative
     */
    public long nextSetBit(long from) {
        if (from < 0) {
            throw new IndexOutOfBoundsException("from is negative: " + from);
        }
        if (from >= pages) {
            return -1;
        }
        int w = (int) (from >>> 6);
        long word = words[w] & (-1L << from);
        while (word == 0) {
            if (++w == words.length) {
                return -1;
            }
            word = words[w];
        }
        return ((long) w << 6) + Long.numberOfTrailingZeros(word);
    }

    /** How many pages are marked. */
    public long cardinality() {
        long n = 0;
        for (long word : words) {
            n += Long.bitCount(word);
        }
        return n;
    }

    /** Unmarks every page. */
    public void clear() {
        Arrays.fill(words, 0L);
    }

    /** Marks every page. */
    public void setAll() {
        Arrays.fill(words, -1L);
        int tail = (int) (pages & 63);
        if (tail != 0) {
            words[words.length - 1] = (1L << tail) - 1;
        }
    }

    @Override
    public String toString() {
        return "DirtyBitmap[" + cardinality() + " of " + pages + " pages]";
    }
}
