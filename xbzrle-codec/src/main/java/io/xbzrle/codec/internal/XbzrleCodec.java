package io.xbzrle.codec.internal;

import io.xbzrle.api.codec.CorruptDeltaException;
import io.xbzrle.api.codec.PageCodec;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * XBZRLE as QEMU's {@code migration/xbzrle.c} does it: a delta is {@code zrun nzrun zrun nzrun ...},
 * each run length a ULEB128 number, each nzrun followed by its bytes of the new page.
 *
 * <p>The encoder gives QEMU's scalar encoder's exact output, including its overflow rule: with an
 * unchanged tail the encoder needs two spare bytes past the delta (QEMU checks for room before it
 * discovers the tail). For pages of at most 16 KiB, lengths have at most 2 bytes, as QEMU's
 * {@code uleb128_*_small}, and the decoder rejects longer ones; larger pages use full ULEB128.
 *
 * <p>Speed: runs are found 8 bytes at a time with little-endian long reads; an unchanged run is
 * probed inline a few words before handing long runs to {@link Arrays#mismatch} (vectorized by the
 * JIT); a non-zero run ends at the first zero byte of {@code old ^ new} (the has-zero-byte test); a
 * dense page is proven to overflow early by a lower bound on its encoded length.
 */
final class XbzrleCodec implements PageCodec {

    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle CHARS =
            MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LOWS7 = 0x7f7f7f7f7f7f7f7fL;
    /**
     * Gathers bit 7 of each byte into the top byte: bit 8k+7 times 2^(49-7k) lands on bit 56+k, and
     * no two partial products share a bit, so nothing carries.
     */
    private static final long GATHER = 0x0002040810204081L;
    /** Largest page whose lengths fit QEMU's 2-byte ULEB128 (values up to 0x3FFF). */
    static final int QEMU_LENGTH_LIMIT_PAGE = 16384;
    /** Words compared inline before a run is handed to {@link Arrays#mismatch}. */
    private static final int INLINE_PROBES = 4;

    private final int pageSize;
    /** Most bytes a length may take in a valid delta: 2 in QEMU's mode, more for larger pages. */
    private final int maxLengthBytes;
    private final byte[] zeroPage;
    /** Whether difference masks come from the Vector API ({@link VectorDifferences}). */
    private final boolean vector;
    /** Whether runs are copied with {@code System.arraycopy}, whatever their length. */
    private final boolean arraycopyRuns;

    XbzrleCodec(int pageSize) {
        this(pageSize, false);
    }

    XbzrleCodec(int pageSize, boolean vector) {
        this(pageSize, vector, JvmFlags.ARRAYCOPY_RUNS);
    }

    /**
     * @param vector use the Vector API for difference masks; only when
     *     {@link #vectorAvailable()} says the runtime offers it
     * @param arraycopyRuns copy every data run with {@code System.arraycopy}, rather than short
     *     runs as 8-byte moves (encoder) and masked 8-byte read-modify-writes (decoder); see
     *     {@link #arraycopyRunsPreferred()}
     */
    XbzrleCodec(int pageSize, boolean vector, boolean arraycopyRuns) {
        if (pageSize < 64 || Integer.bitCount(pageSize) != 1 || pageSize > (1 << 24)) {
            throw new IllegalArgumentException(
                    "page size must be a power of two from 64 to 16777216 bytes, not " + pageSize);
        }
        this.pageSize = pageSize;
        this.maxLengthBytes = pageSize <= QEMU_LENGTH_LIMIT_PAGE ? 2 : ulebSize(pageSize);
        this.zeroPage = new byte[pageSize];
        if (vector && !vectorAvailable()) {
            throw new IllegalStateException("the Vector API (jdk.incubator.vector) is not available");
        }
        this.vector = vector;
        this.arraycopyRuns = arraycopyRuns;
    }

    /**
     * Whether this runtime resolved {@code jdk.incubator.vector} and has useful vector registers.
     * Checked before {@link VectorDifferences} is touched, so that it is never loaded without it.
     */
    static boolean vectorAvailable() {
        return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && VectorDifferences.useful();
    }

    /**
     * Whether the Vector API is available and worth using by default: on JDK 17 its mask
     * operations are not compiled to single instructions and the portable path was measured
     * faster; on JDK 25 the vector path was faster on every workload (21 not measured).
     */
    static boolean vectorPreferred() {
        return Runtime.version().feature() >= 21 && vectorAvailable();
    }

    /** Whether this codec uses the Vector API. */
    boolean vector() {
        return vector;
    }

    /** Whether this codec copies every run with {@code System.arraycopy}. */
    boolean arraycopyRuns() {
        return arraycopyRuns;
    }

    /**
     * Whether the JIT compiles {@code System.arraycopy} of a few bytes to inline masked vector
     * moves, which it does where it uses AVX-512 ({@code UseAVX} 3, vectors of 32 bytes or more).
     * There a plain loop of {@code System.arraycopy} per run decodes 1.2-1.7x faster than masked
     * 8-byte writes (and encodes pages of long runs up to 1.1x faster than 8-byte moves);
     * elsewhere (AVX2: {@code -XX:UseAVX=2}) each short copy is a call to a stub, and the masked
     * writes decode 1.7-2.4x faster. Where the JVM does not say (no HotSpot, no
     * {@code jdk.management}, not x86), the masked writes are used.
     */
    /** The JVM's flags, read once (the first codec made without an explicit choice). */
    private static final class JvmFlags {
        static final boolean ARRAYCOPY_RUNS = arraycopyRunsPreferred();
    }

    static boolean arraycopyRunsPreferred() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return vm != null && Integer.parseInt(vm.getVMOption("UseAVX").getValue()) >= 3
                    && Integer.parseInt(vm.getVMOption("MaxVectorSize").getValue()) >= 32;
        } catch (RuntimeException | LinkageError e) {
            return false; // the option does not exist here, or the module is absent
        }
    }

    @Override
    public int pageSize() {
        return pageSize;
    }

    @Override
    public boolean isZeroPage(byte[] page, int offset) {
        Objects.checkFromIndexSize(offset, pageSize, page.length);
        return Arrays.mismatch(page, offset, offset + pageSize, zeroPage, 0, pageSize) < 0;
    }

    // ---------------------------------------------------------------------------------------------
    // Encoder

    @Override
    public int encode(byte[] old, int oldOffset, byte[] current, int currentOffset,
                      byte[] out, int outOffset, int outLimit) {
        final int size = pageSize;
        Objects.checkFromIndexSize(oldOffset, size, old.length);
        Objects.checkFromIndexSize(currentOffset, size, current.length);
        Objects.checkFromIndexSize(outOffset, outLimit, out.length);
        if (outLimit < 2) {
            return OVERFLOW; // QEMU checks for room for a pair before it looks at the page
        }
        int i = sameUntil(old, oldOffset, current, currentOffset, 0);
        if (i == size) {
            return 0;
        }
        final int end = outOffset + outLimit;
        // The overflow proof below is tried once, where proofDue says; a page whose last 64 bytes
        // are unchanged is not tried: it ends in an unchanged stretch that the proof would scan to
        // fail (1.2-1.9x faster on dense pages that end unchanged, zero-to-data 1.1x), and if it
        // does overflow, encoding finds it where QEMU does.
        boolean bounded = old[oldOffset + size - 1] == current[currentOffset + size - 1]
                && !anyDifference(old, oldOffset, current, currentOffset, size - 64);
        int d = outOffset;
        int zrunStart = 0;
        int runs = 0;
        // Runs are read off a 64-bit mask per 64-byte block (bit k: byte k differs), so the
        // boundaries of short runs cost a count of trailing zeros, not a branchy byte search.
        int base = i & ~63;
        long mask = differences(old, oldOffset, current, currentOffset, base);
        if (!bounded) {
            // A first block of 8 runs or more whose pairs alone would take more than its 64 bytes
            // (dense alternation, a text page turned to zeros): the proof is tried at once, not
            // after encoding runs of a byte or two up to a few hundred bytes of output
            // (dense-alternate 2.3x faster, mixed 1.03-1.08x).
            long first = mask & (-1L << (i - base));
            int starts = Long.bitCount(first & ~(first << 1));
            if (starts >= 8 && Long.bitCount(first) + 2 * starts > 64) {
                bounded = true;
                int result = proveOrFinish(old, oldOffset, current, currentOffset, out, outOffset, d, end,
                        0, i, mask, true);
                if (result != GO_ON) {
                    return result;
                }
            }
        }
        while (true) {
            // Byte i differs: the nzrun goes on to the first equal byte.
            long equal = ~mask & (-1L << (i - base));
            int j;
            if (equal != 0) {
                j = base + Long.numberOfTrailingZeros(equal);
            } else if (base + 64 == size) {
                j = size;
            } else {
                // The overflow proof, tried once where it is due (proofDue). Tried where a run leaves
                // its block (here, or for a zrun below), not after every pair: 1.04-1.1x faster on
                // pages of one-byte runs every few bytes, level on the corpus.
                if (!bounded && proofDue(d - outOffset, outLimit, size, i, runs)) {
                    bounded = true;
                    int result = proveOrFinish(old, oldOffset, current, currentOffset, out, outOffset, d, end,
                            zrunStart, i, mask, runs * 64 > i);
                    if (result != GO_ON) {
                        return result;
                    }
                }
                // A run past the block's end: the next block's mask, which ends most runs; a run
                // past that one too skips the blocks that differ throughout with the has-zero-byte
                // test (one branch a block, inline: on pages of runs of 100-300 bytes 1.1-1.2x
                // faster than a word search in a call of its own), then the mask of the block where
                // it ends.
                base += 64;
                mask = differences(old, oldOffset, current, currentOffset, base);
                if (~mask != 0) {
                    j = base + Long.numberOfTrailingZeros(~mask);
                } else {
                    while (base + 64 < size && allDiffer(old, oldOffset, current, currentOffset, base + 64)) {
                        base += 64;
                    }
                    if (base + 64 == size) {
                        j = size;
                    } else {
                        base += 64;
                        mask = differences(old, oldOffset, current, currentOffset, base);
                        j = base + Long.numberOfTrailingZeros(~mask);
                    }
                }
            }
            int zrun = i - zrunStart;
            int nzrun = j - i;
            if ((zrun | nzrun) < 0x4000) {
                // Both lengths take 1 or 2 bytes: checked and written without a branch on which.
                if (pairSize(zrun, nzrun) > end - d) {
                    return OVERFLOW;
                }
                d = writeLengths(out, d, zrun, nzrun);
            } else if (maxLengthBytes == 2) {
                // QEMU's lengths stop at 0x3FFF (it aborts past it); only a whole 16 KiB page
                // changed gets here, and it cannot be sent as a delta.
                return OVERFLOW;
            } else {
                if (ulebSize(zrun) + ulebSize(nzrun) + nzrun > end - d) {
                    return OVERFLOW;
                }
                d = writeUleb(out, d, zrun);
                d = writeUleb(out, d, nzrun);
            }
            d = writeData(current, currentOffset + i, nzrun, out, d, end);
            runs++;
            if (j == size) {
                return d - outOffset;
            }
            // Byte j is equal: the zrun goes on to the next differing byte.
            zrunStart = j;
            long differing = mask & (-1L << (j - base));
            if (differing != 0) {
                i = base + Long.numberOfTrailingZeros(differing);
            } else {
                // The rest of the block is unchanged: the next block's mask, which ends most zruns
                // and serves the run after it (a cheap test first skips it for an unchanged block);
                // longer unchanged stretches go to Arrays.mismatch.
                if (base + 64 < size
                        && (vector || anyDifference(old, oldOffset, current, currentOffset, base + 64))
                        && (mask = differences(old, oldOffset, current, currentOffset, base + 64)) != 0) {
                    base += 64;
                    i = base + Long.numberOfTrailingZeros(mask);
                } else {
                    i = base + 128 >= size ? size : sameUntil(old, oldOffset, current, currentOffset, base + 128);
                    if (i == size) {
                        return unchangedTail(d, end, outOffset);
                    }
                    base = i & ~63;
                    mask = differences(old, oldOffset, current, currentOffset, base);
                }
                // The proof's other place: the next run starts in a later block.
                if (!bounded && proofDue(d - outOffset, outLimit, size, i, runs)) {
                    bounded = true;
                    int result = proveOrFinish(old, oldOffset, current, currentOffset, out, outOffset, d, end,
                            zrunStart, i, mask, runs * 64 > i);
                    if (result != GO_ON) {
                        return result;
                    }
                }
            }
        }
    }

    /** Runs so far from which a page of short runs may be proven early ({@link #proofDue}). */
    private static final int EARLY_PROOF_RUNS = 4;
    /** Most bytes a pair takes on average (zrun and nzrun) on a page proven early. */
    private static final int EARLY_PROOF_PAIR = 192;

    /**
     * Whether the overflow proof is due at byte {@code i}, {@code written} bytes of output so far:
     * where the output, past its first eighth, runs at a rate that would not fit the page; or on a
     * page of short runs (4 or more so far, under 192 bytes a pair on average) whose output runs
     * at 90% of that rate or more, dense throughout like a page near the limit. On such a page the
     * proof, a word at a time, costs less than encoding runs of that length, and encoding from
     * the list it leaves is cheap when the page does fit: near-overflow 1.05-1.07x faster than
     * proving only past the rate, the rest of the corpus level.
     */
    private static boolean proofDue(int written, int outLimit, int size, int i, int runs) {
        long rate = (long) written * size;
        long fits = (long) outLimit * i;
        return written >= outLimit / 8 && rate > fits
                || runs >= EARLY_PROOF_RUNS && runs * EARLY_PROOF_PAIR > i && rate * 10 > fits * 9;
    }

    /** {@link #proveOrFinish}: neither proven nor finished; the page is encoded on as usual. */
    private static final int GO_ON = -2;

    /**
     * Tries to prove that the rest from byte {@code i} (which differs; {@code mask} is its block's
     * difference mask, the zrun before it started at {@code zrunStart}) cannot fit, with the masks
     * proof for {@code dense} runs and the words proof otherwise; where it may fit, finishes the page
     * from what the proof kept. A method of its own, out of {@link #encode}'s loop: 1.02-1.05x
     * faster on dense pages (near-overflow, full-random) in A/B runs in one JVM.
     *
     * @return {@link #OVERFLOW}, the page's delta length, or {@link #GO_ON}
     */
    private int proveOrFinish(byte[] old, int oo, byte[] cur, int co, byte[] out, int outOffset, int d, int end,
                              int zrunStart, int i, long mask, boolean dense) {
        final int size = pageSize;
        if (dense) {
            // Where the rest's masks fit in the output space, the proof keeps them there.
            boolean keep = size <= QEMU_LENGTH_LIMIT_PAGE && end - d >= (size >>> 3) + 16;
            if (provesOverflow(old, oo, cur, co, i, end - d, keep ? out : null, end - (size >>> 3))) {
                return OVERFLOW;
            }
            return keep ? encodeMasked(old, oo, cur, co, out, outOffset, d, end, zrunStart, i, mask) : GO_ON;
        }
        int words = provesOverflowWords(old, oo, cur, co, i, out, d, end);
        if (words == PROVEN) {
            return OVERFLOW;
        }
        return words == UNLISTED ? GO_ON : encodeToEnds(old, oo, cur, co, out, outOffset, d, end, zrunStart, i, words);
    }

    private static final long LOWS1 = 0x0101010101010101L;

    /** The first index from {@code p} (a differing byte) where the pages are equal, or the page size. */
    private int differentUntil(byte[] old, int oo, byte[] cur, int co, int p) {
        final int size = pageSize;
        if (p <= size - 8) {
            long x = (long) LONGS.get(old, oo + p) ^ (long) LONGS.get(cur, co + p);
            long z = (x - LOWS1) & ~x & HIGHS;
            if (z != 0) {
                return p + (Long.numberOfTrailingZeros(z) >>> 3);
            }
            p += 8;
            while (p <= size - 32) {
                long x0 = (long) LONGS.get(old, oo + p) ^ (long) LONGS.get(cur, co + p);
                long x1 = (long) LONGS.get(old, oo + p + 8) ^ (long) LONGS.get(cur, co + p + 8);
                long x2 = (long) LONGS.get(old, oo + p + 16) ^ (long) LONGS.get(cur, co + p + 16);
                long x3 = (long) LONGS.get(old, oo + p + 24) ^ (long) LONGS.get(cur, co + p + 24);
                long z0 = (x0 - LOWS1) & ~x0;
                long z1 = (x1 - LOWS1) & ~x1;
                long z2 = (x2 - LOWS1) & ~x2;
                long z3 = (x3 - LOWS1) & ~x3;
                if (((z0 | z1 | z2 | z3) & HIGHS) != 0) {
                    // The first flagged byte of the four words (flags above a word's first one may be
                    // false, never below), without a branch per word: their flags as one mask.
                    long m = ((z0 & HIGHS) * GATHER >>> 56) | ((z1 & HIGHS) * GATHER >>> 56) << 8
                            | ((z2 & HIGHS) * GATHER >>> 56) << 16 | ((z3 & HIGHS) * GATHER >>> 56) << 24;
                    return p + Long.numberOfTrailingZeros(m);
                }
                p += 32;
            }
            while (p <= size - 8) {
                x = (long) LONGS.get(old, oo + p) ^ (long) LONGS.get(cur, co + p);
                z = (x - LOWS1) & ~x & HIGHS;
                if (z != 0) {
                    return p + (Long.numberOfTrailingZeros(z) >>> 3);
                }
                p += 8;
            }
            if (p == size) {
                return size;
            }
        }
        // Fewer than 8 bytes left: the page's last word, the bytes before p (known to differ)
        // forced non-zero.
        long x = (long) LONGS.get(old, oo + size - 8) ^ (long) LONGS.get(cur, co + size - 8);
        x |= (1L << ((p - (size - 8)) << 3)) - 1;
        long z = (x - LOWS1) & ~x & HIGHS;
        return z != 0 ? size - 8 + (Long.numberOfTrailingZeros(z) >>> 3) : size;
    }

    /** {@link #provesOverflowWords}: the rest cannot fit. */
    private static final int PROVEN = -1;
    /** {@link #provesOverflowWords}: it may fit, and the nzruns' ends were not listed. */
    private static final int UNLISTED = -2;

    /**
     * Whether the rest of the encoding from byte {@code from} (which differs) cannot fit in the
     * {@code end - d} bytes left: it takes at least one byte per differing byte and two per nzrun
     * (three for one with 16 words or more that differ throughout), and an unchanged tail needs 2
     * spare bytes more. Words with no equal byte (the common case on a page dense enough to get
     * here) take the has-zero-byte test only.
     *
     * <p>When it may fit, the scan is not wasted: where each nzrun of the rest ends (its first
     * equal byte) is listed, as 2-byte entries in ascending order, at {@code out[d..]} (output
     * space not yet written), for {@link #encodeToEnds} to encode the rest without scanning its
     * nzruns again. An unchanged word starts an unchanged stretch, skipped at once (its start
     * listed if an nzrun ends there). The list is kept only for pages of QEMU's lengths and only
     * while it stays short (an entry per 4 words at most).
     *
     * @return {@link #PROVEN}, the number of entries listed, or {@link #UNLISTED}
     */
    private int provesOverflowWords(byte[] old, int oo, byte[] cur, int co, int from, byte[] out, int d, int end) {
        return provesOverflowWords(old, oo, cur, co, from, out, d, end, from, 0, 0, 0x80, 0, 0);
    }

    /** Unchanged stretches {@link #provesOverflowWords} goes past; a page with more is given up. */
    private static final int MOST_STRETCHES = 16;

    /**
     * {@link #provesOverflowWords} from byte {@code p} on, with its counts so far: {@code equal}
     * equal bytes, {@code longRuns} nzruns known to be 128 bytes long or more (not all of them:
     * runs of 128-142 bytes may be missed), {@code listed} nzrun ends (listed or not, each closing
     * an nzrun: the rest's nzruns are its ends and one more if it ends changed), bit 7 of
     * {@code prevDiffers}' low byte whether the byte before {@code p} differs (as the byte before
     * {@code from} is taken to, so that no nzrun ends there), and the number of unchanged
     * {@code stretches} gone past.
     */
    private int provesOverflowWords(byte[] old, int oo, byte[] cur, int co, int from, byte[] out, int d, int end,
                                    int p, int equal, int longRuns, long prevDiffers, int listed, int stretches) {
        final int size = pageSize;
        final int room = end - d;
        final int cap = size <= QEMU_LENGTH_LIMIT_PAGE ? Math.min(room >>> 1, (size - from) >>> 5) : -1;
        // One index for both pages (q, in old; delta to cur): fewer values live across the loops,
        // which otherwise kept the index on the stack (full-random 1.1x faster).
        final int delta = co - oo;
        final int last = oo + size - 8;
        int q = oo + p;
        while (q <= last) {
            long x = (long) LONGS.get(old, q) ^ (long) LONGS.get(cur, q + delta);
            if (((x - LOWS1) & ~x & HIGHS) == 0) {
                // All 8 bytes differ. The words after it that differ throughout go in a loop of
                // their own, without the list's store: 1.1-1.25x faster than one loop for both
                // kinds of word.
                prevDiffers = 0x80;
                int differing = q;
                q += 8;
                while (q <= last) {
                    x = (long) LONGS.get(old, q) ^ (long) LONGS.get(cur, q + delta);
                    if (((x - LOWS1) & ~x & HIGHS) != 0) {
                        break;
                    }
                    q += 8;
                }
                // 128 bytes or more that differ, all in one nzrun: its length takes 2 bytes or more.
                longRuns += (q - differing) >>> 7 != 0 ? 1 : 0;
                if (q > last) {
                    break;
                }
            }
            if (x == 0) {
                // An unchanged word starts an unchanged stretch (an nzrun ends at it unless the
                // byte before is equal; the list's reader finds the stretch's end again), skipped
                // at once, and the scan goes on past it in a call that returns at once. Skipped in
                // this loop instead, word by word or by a call whose result the loop waits for, it
                // made the loop 1.04-1.1x slower on dense pages that never get here (full-random).
                if (stretches == MOST_STRETCHES) {
                    return UNLISTED;
                }
                p = q - oo;
                if (listed < cap) {
                    CHARS.set(out, d + 2 * listed, (char) p);
                }
                int m = Arrays.mismatch(old, q + 8, oo + size, cur, q + delta + 8, co + size);
                int next = m < 0 ? size : p + 8 + m;
                int ended = (int) (prevDiffers >>> 7);
                return provesOverflowWords(old, oo, cur, co, from, out, d, end, next, equal + next - p, longRuns,
                        0, listed + ended, stretches + 1); // 0: the byte before next is equal
            }
            // Exact: bit 7 of each byte set where the byte is equal.
            long eq = ~((((x & LOWS7) + LOWS7) | x) | LOWS7);
            long ne = eq ^ HIGHS;
            equal += Long.bitCount(eq);
            // The nzruns that end in this word: its equal bytes after a differing one. Mostly one,
            // listed without a loop.
            long ends = eq & ((ne << 8) | prevDiffers);
            int count = Long.bitCount(ends);
            // The first stored whether or not the word ends an nzrun (then it is written over),
            // within the list's room; more only where they all fit (else listed passes cap, and
            // the list is not used).
            if (listed < cap) {
                CHARS.set(out, d + 2 * listed, (char) (q - oo + (Long.numberOfTrailingZeros(ends) >>> 3)));
                if (count > 1 && listed + count <= cap) {
                    listEnds(out, d + 2 * listed + 2, q - oo, ends & (ends - 1));
                }
            }
            listed += count;
            prevDiffers = ne >>> 56;
            q += 8;
        }
        // Fewer than 8 bytes left: the page's last word, the bytes before p (read already) left out.
        p = q - oo;
        if (p < size) {
            long x = (long) LONGS.get(old, oo + size - 8) ^ (long) LONGS.get(cur, co + size - 8);
            int known = (p - (size - 8)) << 3;
            long eq = ~((((x & LOWS7) + LOWS7) | x) | LOWS7) & (-1L << known);
            long ne = (eq ^ HIGHS) & (-1L << known);
            equal += Long.bitCount(eq);
            long ends = eq & ((ne << 8) | (prevDiffers << known));
            int count = Long.bitCount(ends);
            if (listed + count <= cap) {
                listEnds(out, d + 2 * listed, size - 8, ends);
            }
            listed += count;
        }
        // Every nzrun ends at a listed end but for one that runs to the page's end.
        long lowerBound = (long) (size - from - equal) + 2L * listed + longRuns;
        lowerBound += 2; // the last nzrun's lengths, or an unchanged tail's 2 spare bytes
        return lowerBound > room ? PROVEN : listed <= cap ? listed : UNLISTED;
    }

    /**
     * Lists the ends in {@code ends} (bit 7 of each byte that ends an nzrun) of the word at
     * {@code p}, in order, as entries from {@code out[at]} on.
     */
    private static void listEnds(byte[] out, int at, int p, long ends) {
        for (; ends != 0; ends &= ends - 1, at += 2) {
            CHARS.set(out, at, (char) (p + (Long.numberOfTrailingZeros(ends) >>> 3)));
        }
    }

    /**
     * The rest of the encoding from byte {@code i} (which differs; the zrun before it started at
     * {@code zrunStart}), its nzruns ending where {@link #provesOverflowWords} listed at
     * {@code out[d..]}: each zrun's end (the next nzrun's start) is found from the word at its
     * start, so a pair costs no search and no branch on its run's length (with the list of the
     * words that held equal bytes, read off their bits, 1.01-1.03x slower on near-overflow). The
     * list is first moved to the end of the output space; if a pair would overwrite entries still
     * to be read (a rest with little output for its list), the rest of the page is scanned word
     * by word. Same output and overflow rule as {@link #encode}.
     */
    private int encodeToEnds(byte[] old, int oo, byte[] cur, int co, byte[] out, int outOffset, int d, int end,
                             int zrunStart, int i, int listed) {
        final int size = pageSize;
        final int list = end - 2 * listed;
        System.arraycopy(out, d, out, list, 2 * listed);
        int runStart = i;
        for (int e = 0; e < listed; e++) {
            int runEnd = (char) CHARS.get(out, list + 2 * e);
            int zrun = runStart - zrunStart;
            int nzrun = runEnd - runStart;
            int pair = pairSize(zrun, nzrun);
            if (pair > end - d) {
                return OVERFLOW;
            }
            if (d + pair > list + 2 * (e + 1)) {
                // The pair would overwrite entries still to be read.
                return encodeScanned(old, oo, cur, co, out, outOffset, d, end, zrunStart, runStart);
            }
            d = writePair(cur, co, out, d, zrun, runStart, nzrun);
            zrunStart = runEnd;
            runStart = sameUntil(old, oo, cur, co, runEnd);
            if (runStart == size) {
                return unchangedTail(d, end, outOffset);
            }
        }
        int zrun = runStart - zrunStart;
        if (pairSize(zrun, size - runStart) > end - d) {
            return OVERFLOW;
        }
        return writePair(cur, co, out, d, zrun, runStart, size - runStart) - outOffset;
    }

    /**
     * The rest of the encoding from byte {@code i} (which differs; the zrun before it started at
     * {@code zrunStart}), its runs found word by word. Same output and overflow rule as
     * {@link #encode}; writes nothing past a pair.
     */
    private int encodeScanned(byte[] old, int oo, byte[] cur, int co, byte[] out, int outOffset, int d, int end,
                              int zrunStart, int i) {
        final int size = pageSize;
        while (true) {
            int j = differentUntil(old, oo, cur, co, i);
            int zrun = i - zrunStart;
            if (pairSize(zrun, j - i) > end - d) {
                return OVERFLOW;
            }
            d = writePair(cur, co, out, d, zrun, i, j - i);
            if (j == size) {
                return d - outOffset;
            }
            zrunStart = j;
            i = sameUntil(old, oo, cur, co, j);
            if (i == size) {
                return unchangedTail(d, end, outOffset);
            }
        }
    }

    /**
     * Writes a pair whose room was checked, copying exactly its {@code nzrun} bytes from byte
     * {@code from} of the page. Lengths below 0x4000: for pages of at most 16 KiB, past the start.
     *
     * @return where the next pair goes
     */
    private int writePair(byte[] cur, int co, byte[] out, int d, int zrun, int from, int nzrun) {
        d = writeLengths(out, d, zrun, nzrun);
        if (arraycopyRuns) {
            System.arraycopy(cur, co + from, out, d, nzrun);
        } else {
            copy(cur, co + from, out, d, nzrun);
        }
        return d + nzrun;
    }

    /**
     * The result of a page whose rest from the output position {@code d} on is unchanged: QEMU's
     * top-of-loop check ({@code d + 2 > dlen}) runs before it finds the tail unchanged, so the delta
     * needs 2 spare bytes past its end.
     */
    private static int unchangedTail(int d, int end, int outOffset) {
        return end - d >= 2 ? d - outOffset : OVERFLOW;
    }

    /**
     * Whether all 64 bytes at {@code base} differ: the has-zero-byte test of each word, or-ed
     * (it may flag a byte above a word's first equal one, never miss that one), one branch.
     */
    private static boolean allDiffer(byte[] old, int oo, byte[] cur, int co, int base) {
        return allDifferFrom(old, oo, cur, co, base, 0);
    }

    /** {@link #allDiffer} for the block's bytes from {@code from} (a multiple of 8) on. */
    private static boolean allDifferFrom(byte[] old, int oo, byte[] cur, int co, int base, int from) {
        long z = 0;
        for (int k = from; k < 64; k += 8) {
            long x = (long) LONGS.get(old, oo + base + k) ^ (long) LONGS.get(cur, co + base + k);
            z |= (x - LOWS1) & ~x;
        }
        return (z & HIGHS) == 0;
    }

    /**
     * {@link #allDiffer}, its first word tested alone first: a block where runs end usually fails
     * there, at the cost of one word.
     */
    private static boolean allDifferFromFirstWord(byte[] old, int oo, byte[] cur, int co, int base) {
        long x = (long) LONGS.get(old, oo + base) ^ (long) LONGS.get(cur, co + base);
        return ((x - LOWS1) & ~x & HIGHS) == 0 && allDifferFrom(old, oo, cur, co, base, 8);
    }

    /** Whether any of the 64 bytes at {@code base} differs: cheaper than their mask. */
    private static boolean anyDifference(byte[] old, int oo, byte[] cur, int co, int base) {
        long x = 0;
        for (int k = 0; k < 64; k += 8) {
            x |= (long) LONGS.get(old, oo + base + k) ^ (long) LONGS.get(cur, co + base + k);
        }
        return x != 0;
    }

    /** The difference mask of the 64 bytes at {@code base}: bit k is set if byte k differs. */
    private long differences(byte[] old, int oo, byte[] cur, int co, int base) {
        if (vector) {
            return VectorDifferences.differences(old, oo, cur, co, base);
        }
        long mask = 0;
        for (int k = 0; k < 64; k += 8) {
            long x = (long) LONGS.get(old, oo + base + k) ^ (long) LONGS.get(cur, co + base + k);
            // Bit 7 of each byte of y is set where that byte of x is not zero; the multiply
            // gathers the eight bits into the top byte.
            long y = (((x & LOWS7) + LOWS7) | x) & HIGHS;
            mask |= (y * GATHER >>> 56) << k;
        }
        return mask;
    }

    /**
     * Whether the rest of the encoding, from byte {@code from} (which differs, and starts a pair
     * whose zrun length is still to be written) cannot fit in {@code room} bytes. Every pair takes
     * at least one byte per length and one per differing byte, so the rest takes at least
     * {@code differing + 2 * nzruns}, and a byte more per run of 128 bytes or more (for pages of
     * QEMU's lengths, the rest's exact length but for the zrun before {@code from}); an unchanged
     * tail needs 2 spare bytes more.
     *
     * <p>With {@code masks} (the output array), the difference mask of each block from the one
     * holding {@code from} on is kept at {@code masksAt + block * 8} (output space not yet
     * written), for {@link #encodeMasked} to go on from, without computing them twice.
     */
    private boolean provesOverflow(byte[] old, int oo, byte[] cur, int co, int from, int room,
                                   byte[] masks, int masksAt) {
        final int size = pageSize;
        int base = from & ~63;
        long mask = differences(old, oo, cur, co, base);
        if (masks != null) {
            LONGS.set(masks, masksAt + (base >>> 3), mask);
        }
        mask &= -1L << (from - base);
        long lowerBound = 2L * Long.bitCount(mask & ~(mask << 1)) + Long.bitCount(mask);
        long carry = mask >>> 63;
        // Runs of 128 bytes or more take a length of 2 bytes or more: counted as they close,
        // from the lengths of the differing (ones) and equal (zeros) run reaching a block's start.
        int ones = Long.numberOfLeadingZeros(~mask);
        int zeros = Long.numberOfLeadingZeros(mask);
        for (base += 64; base < size; base += 64) {
            // Blocks of a long run are found with the cheaper has-zero-byte test, at about half
            // the cost of their masks (a dense start then a long run 1.6x faster, full-random
            // 1.04x); vector masks cost less than the test.
            mask = !vector && allDifferFromFirstWord(old, oo, cur, co, base)
                    ? -1L : differences(old, oo, cur, co, base);
            if (masks != null) {
                LONGS.set(masks, masksAt + (base >>> 3), mask);
            }
            long starts = mask & ~((mask << 1) | carry);
            lowerBound += Long.bitCount(mask) + 2L * Long.bitCount(starts);
            carry = mask >>> 63;
            if (mask != -1L) {
                lowerBound += (ones + Long.numberOfTrailingZeros(~mask)) >>> 7 != 0 ? 1 : 0;
                ones = Long.numberOfLeadingZeros(~mask);
            } else {
                ones += 64;
            }
            if (mask != 0) {
                lowerBound += (zeros + Long.numberOfTrailingZeros(mask)) >>> 7 != 0 ? 1 : 0;
                zeros = Long.numberOfLeadingZeros(mask);
            } else {
                zeros += 64;
            }
        }
        lowerBound += ones >>> 7 != 0 ? 1 : 0; // the last nzrun; the unchanged tail has no length
        if (old[oo + size - 1] == cur[co + size - 1]) {
            lowerBound += 2;
        }
        return lowerBound > room;
    }

    /**
     * The rest of the encoding from byte {@code i} (which differs; {@code mask} is its block's
     * difference mask, the zrun before it started at {@code zrunStart}), its runs read off the
     * masks {@link #provesOverflow} kept at the end of the output space, {@code end - pageSize/8
     * + block * 8}. A mask is read there while the output written so far (which stays below
     * {@code d + 16}: the 8-byte moves of {@link #copyRun} reach past a run) has not reached it,
     * and computed again past that. Pages of at most 16 KiB (lengths of 1 or 2 bytes); same output
     * and overflow rule as {@link #encode}.
     */
    private int encodeMasked(byte[] old, int oo, byte[] cur, int co, byte[] out, int outOffset, int d, int end,
                             int zrunStart, int i, long mask) {
        final int size = pageSize;
        final int masksAt = end - (size >>> 3);
        int base = i & ~63;
        while (true) {
            // Byte i differs: the nzrun goes on to the first equal byte, in this block or a later one.
            long equal = ~mask & (-1L << (i - base));
            while (equal == 0 && base + 64 < size) {
                base += 64;
                mask = keptMask(old, oo, cur, co, base, out, masksAt, d);
                equal = ~mask;
            }
            int j = equal != 0 ? base + Long.numberOfTrailingZeros(equal) : size;
            int zrun = i - zrunStart;
            int nzrun = j - i;
            if (pairSize(zrun, nzrun) > end - d) {
                return OVERFLOW;
            }
            d = writeLengths(out, d, zrun, nzrun);
            d = writeData(cur, co + i, nzrun, out, d, end);
            if (j == size) {
                return d - outOffset;
            }
            // Byte j is equal: the zrun goes on to the next differing byte.
            zrunStart = j;
            long differing = mask & (-1L << (j - base));
            while (differing == 0 && base + 64 < size) {
                base += 64;
                mask = keptMask(old, oo, cur, co, base, out, masksAt, d);
                differing = mask;
            }
            if (differing == 0) {
                return unchangedTail(d, end, outOffset);
            }
            i = base + Long.numberOfTrailingZeros(differing);
        }
    }

    /**
     * The mask of the block at {@code base} that {@link #provesOverflow} kept at {@code masksAt},
     * or computed again where the output written so far (below {@code d + 16}) has reached it.
     */
    private long keptMask(byte[] old, int oo, byte[] cur, int co, int base, byte[] out, int masksAt, int d) {
        int at = masksAt + (base >>> 3);
        return at >= d + 16 ? (long) LONGS.get(out, at) : differences(old, oo, cur, co, base);
    }

    /** The first index from {@code from} where the pages differ, or the page size. */
    private int sameUntil(byte[] old, int oo, byte[] cur, int co, int from) {
        final int size = pageSize;
        int p = from;
        for (int k = 0; k < INLINE_PROBES; k++) {
            if (p + 8 > size) {
                return sameUntilTail(old, oo, cur, co, p);
            }
            long x = (long) LONGS.get(old, oo + p) ^ (long) LONGS.get(cur, co + p);
            if (x != 0) {
                return p + (Long.numberOfTrailingZeros(x) >>> 3);
            }
            p += 8;
        }
        int m = Arrays.mismatch(old, oo + p, oo + size, cur, co + p, co + size);
        return m < 0 ? size : p + m;
    }

    private int sameUntilTail(byte[] old, int oo, byte[] cur, int co, int p) {
        final int size = pageSize;
        while (p < size && old[oo + p] == cur[co + p]) {
            p++;
        }
        return p;
    }

    /**
     * Writes a pair's data at {@code d}, as {@link #arraycopyRuns} says; the 8-byte moves of
     * {@link #copyRun} may write up to 16 bytes from {@code d}, never past {@code end}.
     *
     * @return where the next pair goes
     */
    private int writeData(byte[] src, int from, int length, byte[] out, int d, int end) {
        if (arraycopyRuns) {
            System.arraycopy(src, from, out, d, length);
            return d + length;
        }
        return copyRun(src, from, length, out, d, end);
    }

    /**
     * Copies a run's bytes; runs of up to 16 bytes as two 8-byte stores, without a branch on the
     * length, when the output has room for them.
     */
    private static int copyRun(byte[] src, int from, int length, byte[] out, int d, int end) {
        if (length <= 16 && end - d >= 16 && from + 16 <= src.length) {
            // Bytes past the run are rewritten by the next run or lie past the delta's end.
            LONGS.set(out, d, (long) LONGS.get(src, from));
            LONGS.set(out, d + 8, (long) LONGS.get(src, from + 8));
        } else {
            copy(src, from, out, d, length);
        }
        return d + length;
    }

    /**
     * Copies exactly {@code length} bytes. Runs of 8 to 64 bytes go as 8-byte moves, the last one
     * overlapping the one before it, which is cheaper than a call to {@code System.arraycopy}.
     */
    private static void copy(byte[] src, int from, byte[] dst, int to, int length) {
        if (length >= 16 && length <= 32) {
            // Four 8-byte moves, the last two overlapping the first two as needed: no loop.
            long a = (long) LONGS.get(src, from);
            long b = (long) LONGS.get(src, from + 8);
            long c = (long) LONGS.get(src, from + length - 16);
            long e = (long) LONGS.get(src, from + length - 8);
            LONGS.set(dst, to, a);
            LONGS.set(dst, to + 8, b);
            LONGS.set(dst, to + length - 16, c);
            LONGS.set(dst, to + length - 8, e);
        } else if (length >= 8 && length <= 64) {
            int k = 0;
            for (; k < length - 8; k += 8) {
                LONGS.set(dst, to + k, (long) LONGS.get(src, from + k));
            }
            LONGS.set(dst, to + length - 8, (long) LONGS.get(src, from + length - 8));
        } else {
            System.arraycopy(src, from, dst, to, length);
        }
    }

    /** The bytes a pair takes, lengths below 0x4000 (1 or 2 bytes each) and its data. */
    private static int pairSize(int zrun, int nzrun) {
        return 2 + ((0x7f - zrun) >>> 31) + ((0x7f - nzrun) >>> 31) + nzrun;
    }

    /**
     * Writes a pair's two lengths (below 0x4000) at {@code d}, without a branch on their sizes:
     * both bytes of each are stored, the second kept only for a long one. The pair's check
     * ({@link #pairSize}, at least one data byte) guarantees room for the byte past the lengths.
     *
     * @return where the pair's data goes
     */
    private static int writeLengths(byte[] out, int d, int zrun, int nzrun) {
        int zlong = (0x7f - zrun) >>> 31;
        int nlong = (0x7f - nzrun) >>> 31;
        out[d] = (byte) (zrun | (zlong << 7));
        out[d + 1] = (byte) (zrun >>> 7);
        d += 1 + zlong;
        out[d] = (byte) (nzrun | (nlong << 7));
        out[d + 1] = (byte) (nzrun >>> 7);
        return d + 1 + nlong;
    }

    static int ulebSize(int value) {
        if (value < 0x80) {
            return 1;
        }
        if (value < 0x4000) {
            return 2;
        }
        return (38 - Integer.numberOfLeadingZeros(value)) / 7;
    }

    private static int writeUleb(byte[] out, int d, int value) {
        if (value < 0x80) {
            out[d] = (byte) value;
            return d + 1;
        }
        if (value < 0x4000) {
            out[d] = (byte) (value | 0x80);
            out[d + 1] = (byte) (value >>> 7);
            return d + 2;
        }
        int v = value;
        while (v >= 0x80) {
            out[d++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        out[d] = (byte) v;
        return d + 1;
    }

    // ---------------------------------------------------------------------------------------------
    // Decoder

    /**
     * {@code RUN_MASK[n & 31]} has the low {@code n} bytes set for {@code n} from 0 to 16 (all 8
     * from 8 on) and none for {@code n} from -8 to -1: the masks of a run of {@code n} bytes in
     * its first word, and with {@code n - 8}, in its second.
     */
    private static final long[] RUN_MASK = new long[32];

    static {
        for (int n = 1; n < 24; n++) {
            RUN_MASK[n] = n >= 8 ? -1L : (1L << (n << 3)) - 1;
        }
    }

    @Override
    public int decode(byte[] delta, int deltaOffset, int deltaLength, byte[] page, int pageOffset)
            throws CorruptDeltaException {
        Objects.checkFromIndexSize(deltaOffset, deltaLength, delta.length);
        Objects.checkFromIndexSize(pageOffset, pageSize, page.length);
        return arraycopyRuns ? decodeCopying(delta, deltaOffset, deltaLength, page, pageOffset)
                : decodeMasked(delta, deltaOffset, deltaLength, page, pageOffset);
    }

    /**
     * The common case of a delta: pairs whose lengths take 1 or 2 bytes, read with one 4-byte load
     * (bytes past the delta may be read where the array has them, never used), each run written
     * with {@code System.arraycopy}, every check of a pair folded into one branch. Anything unusual
     * (a longer length, any fault, the last bytes of the array) leaves at the pair's start for
     * {@link #decodeExact}, which applies QEMU's checks one by one and names the fault.
     */
    private int decodeCopying(byte[] delta, int deltaOffset, int deltaLength, byte[] page, int pageOffset)
            throws CorruptDeltaException {
        final int size = pageSize;
        final int limit = Math.min(deltaLength - 3, delta.length - deltaOffset - 4);
        int i = 0;
        int d = 0;
        while (i <= limit) {
            int v = (int) INTS.get(delta, deltaOffset + i);
            int zrun;
            int nzrun;
            int src;
            if ((v & 0x8080) == 0) {
                zrun = v & 0x7f;
                nzrun = (v >>> 8) & 0x7f;
                src = i + 2;
            } else if ((v & 0x808080) == 0x80) {
                zrun = (v & 0x7f) | ((v >>> 1) & 0x3f80);
                nzrun = (v >>> 16) & 0x7f;
                src = i + 3;
            } else {
                int zlong = (v >>> 7) & 1;
                zrun = (v & 0x7f) | ((v >>> 1) & 0x3f80 & -zlong);
                int w = v >>> (8 + (zlong << 3));
                int nlong = (w >>> 7) & 1;
                nzrun = (w & 0x7f) | ((w >>> 1) & 0x3f80 & -nlong);
                src = i + 2 + zlong + nlong;
                if (((v & 0x8080) == 0x8080) | ((w & 0x8080) == 0x8080)) {
                    break; // a length of 3 or more bytes
                }
            }
            int at = d + zrun;
            if ((zrun == 0 & i != 0) | nzrun == 0 | at + nzrun > size | src + nzrun > deltaLength) {
                break;
            }
            System.arraycopy(delta, deltaOffset + src, page, pageOffset + at, nzrun);
            d = at + nzrun;
            i = src + nzrun;
        }
        return i < deltaLength ? decodeExact(delta, deltaOffset, deltaLength, page, pageOffset, i, d) : d;
    }

    /**
     * The same with short runs written as masked 8-byte read-modify-writes, for where
     * {@code System.arraycopy} of a few bytes is a call ({@link #arraycopyRunsPreferred()}).
     */
    private int decodeMasked(byte[] delta, int deltaOffset, int deltaLength, byte[] page, int pageOffset)
            throws CorruptDeltaException {
        final int size = pageSize;
        int i = 0;
        int d = 0;
        // The common case: a pair whose lengths take 1 or 2 bytes each, read with one 4-byte load,
        // every check folded into one branch. A pair at i <= limit has its header and 16 bytes of
        // data inside the delta array (bytes past deltaLength may be read, never used: every pair
        // taken here ends inside the delta). Anything unusual (a longer length, any fault, the last
        // bytes of the array) leaves at a pair boundary for decodeExact, which applies QEMU's
        // checks one by one and names the fault.
        if (maxLengthBytes == 2) {
            final int limit = Math.min(deltaLength - 3, delta.length - deltaOffset - 20);
            outer:
            while (i <= limit) {
                int v = (int) INTS.get(delta, deltaOffset + i);
                int zrun;
                int nzrun;
                int src;
                if ((v & 0x8080) == 0) {
                    zrun = v & 0x7f;
                    nzrun = (v >>> 8) & 0x7f;
                    src = i + 2;
                } else {
                    int zlong = (v >>> 7) & 1;
                    zrun = (v & 0x7f) | ((v >>> 1) & 0x3f80 & -zlong);
                    int w = v >>> (8 + (zlong << 3));
                    int nlong = (w >>> 7) & 1;
                    nzrun = (w & 0x7f) | ((w >>> 1) & 0x3f80 & -nlong);
                    src = i + 2 + zlong + nlong;
                    if (((v & 0x8080) == 0x8080) | ((w & 0x8080) == 0x8080)) {
                        break; // a length of 3 or more bytes
                    }
                }
                int at = d + zrun;
                if ((zrun == 0 & i != 0) | nzrun == 0 | at + nzrun > size | src + nzrun > deltaLength) {
                    break;
                }
                if (nzrun > 16 | at > size - 16) {
                    copy(delta, deltaOffset + src, page, pageOffset + at, nzrun);
                    d = at + nzrun;
                    i = src + nzrun;
                    continue;
                }
                long p0 = (long) LONGS.get(page, pageOffset + at);
                long p1 = (long) LONGS.get(page, pageOffset + at + 8);
                while (true) {
                    // The run (src, nzrun, at) is short and checked, its 16-byte page window read
                    // into p0/p1 but not yet written. The next pair and its window are read before
                    // this run is written: page bytes from the next run's start on are never changed
                    // by this run (it rewrites them with the same values), and a read after an
                    // overlapping write would stall on a failed store-to-load forward.
                    int i2 = src + nzrun;
                    int d2 = at + nzrun;
                    int zrun2 = 0;
                    int nzrun2 = 0;
                    int src2 = 0;
                    boolean next = i2 <= limit;
                    if (next) {
                        v = (int) INTS.get(delta, deltaOffset + i2);
                        if ((v & 0x8080) == 0) {
                            zrun2 = v & 0x7f;
                            nzrun2 = (v >>> 8) & 0x7f;
                            src2 = i2 + 2;
                        } else if ((v & 0x808080) == 0x80) {
                            zrun2 = (v & 0x7f) | ((v >>> 1) & 0x3f80);
                            nzrun2 = (v >>> 16) & 0x7f;
                            src2 = i2 + 3;
                        } else {
                            int zlong = (v >>> 7) & 1;
                            zrun2 = (v & 0x7f) | ((v >>> 1) & 0x3f80 & -zlong);
                            int w = v >>> (8 + (zlong << 3));
                            int nlong = (w >>> 7) & 1;
                            nzrun2 = (w & 0x7f) | ((w >>> 1) & 0x3f80 & -nlong);
                            src2 = i2 + 2 + zlong + nlong;
                            if (((v & 0x8080) == 0x8080) | ((w & 0x8080) == 0x8080)) {
                                nzrun2 = 0; // for the outer loop to handle
                            }
                        }
                        next = !(zrun2 == 0 | ((nzrun2 - 1) & ~15) != 0 | d2 + zrun2 > size - 16
                                | src2 + nzrun2 > deltaLength);
                    }
                    int at2 = d2 + zrun2;
                    long q0 = 0;
                    long q1 = 0;
                    if (next) {
                        q0 = (long) LONGS.get(page, pageOffset + at2);
                        q1 = (long) LONGS.get(page, pageOffset + at2 + 8);
                    }
                    long m0 = RUN_MASK[nzrun & 31];
                    long m1 = RUN_MASK[(nzrun - 8) & 31];
                    int s = deltaOffset + src;
                    int t = pageOffset + at;
                    LONGS.set(page, t, (p0 & ~m0) | ((long) LONGS.get(delta, s) & m0));
                    LONGS.set(page, t + 8, (p1 & ~m1) | ((long) LONGS.get(delta, s + 8) & m1));
                    if (!next) {
                        i = i2;
                        d = d2;
                        continue outer;
                    }
                    src = src2;
                    nzrun = nzrun2;
                    at = at2;
                    p0 = q0;
                    p1 = q1;
                }
            }
            // The last bytes of a delta array without slack: pairs as above, one at a time, with no
            // read past the delta's end.
            while (deltaLength - i >= 4) {
                int v = (int) INTS.get(delta, deltaOffset + i);
                int zlong = (v >>> 7) & 1;
                int zrun = (v & 0x7f) | ((v >>> 1) & 0x3f80 & -zlong);
                int w = v >>> (8 + (zlong << 3));
                int nlong = (w >>> 7) & 1;
                int nzrun = (w & 0x7f) | ((w >>> 1) & 0x3f80 & -nlong);
                int src = i + 2 + zlong + nlong;
                int at = d + zrun;
                if (((v & 0x8080) == 0x8080) | ((w & 0x8080) == 0x8080) | (zrun == 0 & i != 0) | nzrun == 0
                        | at + nzrun > size | src + nzrun > deltaLength) {
                    break;
                }
                copyIn(delta, deltaOffset + src, nzrun, page, pageOffset, at, size);
                d = at + nzrun;
                i = src + nzrun;
            }
        }
        return i < deltaLength ? decodeExact(delta, deltaOffset, deltaLength, page, pageOffset, i, d) : d;
    }

    /**
     * The rest of a delta, from a pair boundary, with QEMU's checks one by one: the last bytes of
     * the delta, longer lengths, and every fault, named with its offset. Kept apart from the
     * common loop so that the exception messages do not weigh on its compiled code.
     */
    private int decodeExact(byte[] delta, int deltaOffset, int deltaLength, byte[] page, int pageOffset, int i0,
                            int d0) throws CorruptDeltaException {
        final int size = pageSize;
        int i = i0;
        int d = d0;
        while (i < deltaLength) {
            // zrun
            if (deltaLength - i < 2) {
                throw new CorruptDeltaException(i, "truncated delta: a run pair needs at least 2 bytes");
            }
            int at = i;
            int count;
            int b0 = delta[deltaOffset + i] & 0xff;
            int b1 = delta[deltaOffset + i + 1] & 0xff; // the check above: 2 bytes remain
            if (b1 < 0x80 || b0 < 0x80) {
                // 1 or 2 bytes, without a branch on which.
                int two = b0 >>> 7;
                count = (b0 & 0x7f) | ((b1 << 7) & -two);
                i += 1 + two;
            } else {
                long v = readLongUleb(delta, deltaOffset, deltaLength, i);
                count = (int) v;
                i += (int) (v >>> 32);
            }
            if (count == 0 && at != 0) {
                throw new CorruptDeltaException(at, "zero run of length 0 after the start");
            }
            if (count > size - d) {
                throw new CorruptDeltaException(at, "zero run of " + count + " bytes at page offset "
                        + d + " runs past the " + size + "-byte page");
            }
            d += count;
            // nzrun
            if (deltaLength - i < 2) {
                throw new CorruptDeltaException(i, "truncated delta: a data run needs at least 2 bytes");
            }
            at = i;
            b0 = delta[deltaOffset + i] & 0xff;
            b1 = delta[deltaOffset + i + 1] & 0xff;
            if (b1 < 0x80 || b0 < 0x80) {
                int two = b0 >>> 7;
                count = (b0 & 0x7f) | ((b1 << 7) & -two);
                i += 1 + two;
            } else {
                long v = readLongUleb(delta, deltaOffset, deltaLength, i);
                count = (int) v;
                i += (int) (v >>> 32);
            }
            if (count == 0) {
                throw new CorruptDeltaException(at, "data run of length 0");
            }
            if (count > size - d) {
                throw new CorruptDeltaException(at, "data run of " + count + " bytes at page offset "
                        + d + " runs past the " + size + "-byte page");
            }
            if (count > deltaLength - i) {
                throw new CorruptDeltaException(at, "data run of " + count + " bytes runs past the end of the "
                        + deltaLength + "-byte delta");
            }
            copyIn(delta, deltaOffset + i, count, page, pageOffset, d, size);
            d += count;
            i += count;
        }
        return d;
    }

    /**
     * Writes a data run into the page: runs of up to 16 bytes as two 8-byte read-modify-writes,
     * without a branch on the length, keeping the page bytes past the run.
     */
    private static void copyIn(byte[] delta, int src, int count, byte[] page, int pageOffset, int d, int size) {
        int dst = pageOffset + d;
        if (count <= 16 && d + 16 <= size && src + 16 <= delta.length) {
            int bits = count << 3;
            long m0 = -1L >>> Math.max(0, 64 - bits);
            long m1 = bits > 64 ? -1L >>> (128 - bits) : 0L;
            long p0 = (long) LONGS.get(page, dst);
            long p1 = (long) LONGS.get(page, dst + 8);
            LONGS.set(page, dst, (p0 & ~m0) | ((long) LONGS.get(delta, src) & m0));
            LONGS.set(page, dst + 8, (p1 & ~m1) | ((long) LONGS.get(delta, src + 8) & m1));
        } else {
            copy(delta, src, page, dst, count);
        }
    }

    /**
     * Reads a length of two or more bytes at {@code i} (its first byte has bit 7 set).
     *
     * @return the value in the low 32 bits, the bytes read in the high 32 bits
     */
    private long readLongUleb(byte[] delta, int off, int len, int i) throws CorruptDeltaException {
        int value = 0;
        int shift = 0;
        for (int n = 0; n < maxLengthBytes; n++) {
            if (i + n >= len) {
                throw new CorruptDeltaException(i, "truncated length");
            }
            int b = delta[off + i + n] & 0xff;
            value |= (b & 0x7f) << shift;
            if (b < 0x80) {
                return ((long) (n + 1) << 32) | value;
            }
            shift += 7;
        }
        throw new CorruptDeltaException(i, "length longer than " + maxLengthBytes + " bytes");
    }
}
