package io.xbzrle.codec.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The encoder's edges, each stated once. */
final class EncoderEdgeTest {

    @Test
    void documentedExampleEncodesAsDocumented() {
        for (XbzrleCodec codec : Codecs.all(4096)) {
            byte[] old = new byte[4096];
            byte[] cur = new byte[4096];
            Arrays.fill(cur, 1001, 1022, (byte) 1);
            byte[] out = new byte[4096];
            int n = codec.encode(old, 0, cur, 0, out, 0, 4096);
            assertArrayEquals(HexFormat.of().parseHex("e90715" + "01".repeat(21)), Arrays.copyOf(out, n));
        }
    }

    @Test
    void aWhollyChanged16KibPageOverflowsEvenWithRoomBecauseQemuLengthsStopAt0x3fff() {
        for (XbzrleCodec codec : Codecs.all(16384)) {
            byte[] old = new byte[16384];
            byte[] cur = new byte[16384];
            Arrays.fill(cur, (byte) 7);
            assertEquals(-1, codec.encode(old, 0, cur, 0, new byte[16400], 0, 16400), Codecs.name(codec));
        }
    }

    @Test
    void aLimitBelowTwoOverflowsEvenForAnUnchangedPageAsQemuDoes() {
        byte[] page = new byte[4096];
        for (XbzrleCodec codec : Codecs.all(4096)) {
            assertEquals(-1, codec.encode(page, 0, page, 0, new byte[1], 0, 1));
            assertEquals(0, codec.encode(page, 0, page, 0, new byte[2], 0, 2));
        }
    }

    @Test
    void anUnchangedTailNeedsTwoSpareBytes() {
        // 2048 changed bytes then an unchanged tail: zrun 0 (1 byte), nzrun 2048 (2 bytes) + data.
        byte[] old = new byte[4096];
        byte[] cur = new byte[4096];
        Arrays.fill(cur, 0, 2048, (byte) 3);
        for (XbzrleCodec codec : Codecs.all(4096)) {
            assertEquals(2051, codec.encode(old, 0, cur, 0, new byte[4096], 0, 2053));
            assertEquals(-1, codec.encode(old, 0, cur, 0, new byte[4096], 0, 2052));
        }
        // Changed up to the last byte: no tail, the delta may fill the limit exactly.
        Arrays.fill(cur, (byte) 0);
        Arrays.fill(cur, 2048, 4096, (byte) 3);
        for (XbzrleCodec codec : Codecs.all(4096)) {
            assertEquals(2052, codec.encode(old, 0, cur, 0, new byte[4096], 0, 2052)); // 2 + 2 + 2048
            assertEquals(-1, codec.encode(old, 0, cur, 0, new byte[4096], 0, 2051));
        }
    }

    @Test
    void aDenseRestThatMayFitIsEncodedFromTheEndsTheOverflowProofListed() {
        // 600 changed bytes, one unchanged, then changed to the end: after the first pair the
        // output runs ahead of the input, so the encoder tries to prove the rest cannot fit; with
        // a limit of 4100 or more it cannot (the rest has no equal byte: no nzrun ends in it, an
        // empty list), and the rest is one pair: 603 + 1 + 2 + 3495 = 4101 bytes.
        byte[] old = new byte[4096];
        byte[] cur = new byte[4096];
        Arrays.fill(cur, (byte) 9);
        cur[600] = 0;
        byte[] ref = new byte[4104];
        for (XbzrleCodec codec : Codecs.all(4096)) {
            for (int limit = 4096; limit <= 4104; limit++) {
                byte[] out = new byte[4104];
                int n = codec.encode(old, 0, cur, 0, out, 0, limit);
                int expected = ReferenceXbzrle.encode(old, cur, 4096, ref, limit);
                assertEquals(limit >= 4101 ? 4101 : -1, expected, "the reference, limit " + limit);
                assertEquals(expected, n, Codecs.name(codec) + ", limit " + limit);
                if (n > 0) {
                    assertArrayEquals(Arrays.copyOf(ref, n), Arrays.copyOf(out, n), Codecs.name(codec));
                }
            }
        }
    }

    @Test
    void aDenseRestThatFitsWithLittleRoomIsEncodedFromTheListThenWordByWordWhereTheOutputReachesIt() {
        // Runs of 70 to 100 changed bytes between single unchanged ones up to byte 3800, then one
        // changed byte in 11: the output runs ahead of the input, and the words proof lists where
        // each nzrun ends, at the end of the output space, for the rest to be encoded from. The
        // single bytes take an entry of two bytes each for three bytes of output: with 2 spare
        // bytes (the tail's), their last pairs would overwrite entries still to be read, and the
        // encoder goes on word by word.
        byte[] old = new byte[4096];
        byte[] cur = new byte[4096];
        int[] runs = {70, 85, 100, 77, 93};
        for (int p = 0, k = 0; p < 3800; p += runs[k++ % runs.length] + 1) {
            Arrays.fill(cur, p, Math.min(p + runs[k % runs.length], 3800), (byte) 7);
        }
        for (int p = 3801; p < 4096; p += 11) {
            cur[p] = 7;
        }
        byte[] ref = new byte[8192];
        int length = ReferenceXbzrle.encode(old, cur, 4096, ref, 8192);
        for (XbzrleCodec codec : Codecs.all(4096)) {
            for (int limit = length - 2; limit <= length + 12; limit++) {
                byte[] out = new byte[8192];
                int expected = ReferenceXbzrle.encode(old, cur, 4096, ref, limit);
                assertEquals(limit >= length + 2 ? length : -1, expected, "the reference, limit " + limit);
                int n = codec.encode(old, 0, cur, 0, out, 0, limit);
                assertEquals(expected, n, Codecs.name(codec) + ", limit " + limit);
                if (n > 0) {
                    assertArrayEquals(Arrays.copyOf(ref, n), Arrays.copyOf(out, n),
                            Codecs.name(codec) + ", limit " + limit);
                }
            }
        }
    }

    @Test
    void aDensePageWhoseLast64BytesAreUnchangedIsEncodedUpToTheOverflowWithoutTheProof() {
        // Runs of 100 changed bytes between single unchanged ones up to byte 4032, then an
        // unchanged tail of 64 bytes: the output runs ahead of the input (102 bytes per 101), but
        // a page ending unchanged is not given to the overflow proof; encoding finds the same
        // result, -1 included (an unchanged tail needs 2 spare bytes).
        byte[] old = new byte[4096];
        byte[] cur = new byte[4096];
        for (int p = 0; p < 4032; p += 101) {
            Arrays.fill(cur, p, Math.min(p + 100, 4032), (byte) 5);
        }
        byte[] ref = new byte[4200];
        int length = ReferenceXbzrle.encode(old, cur, 4096, ref, 4200);
        assertEquals(4073, length, "the reference");
        for (XbzrleCodec codec : Codecs.all(4096)) {
            for (int limit = length - 1; limit <= length + 3; limit++) {
                byte[] out = new byte[4200];
                int n = codec.encode(old, 0, cur, 0, out, 0, limit);
                assertEquals(limit >= length + 2 ? length : -1, n, Codecs.name(codec) + ", limit " + limit);
                if (n > 0) {
                    assertArrayEquals(Arrays.copyOf(ref, n), Arrays.copyOf(out, n), Codecs.name(codec));
                }
            }
        }
    }

    @Test
    void aDensePageWithUnchangedStretchesGivesTheReferenceResultWhateverTheLimit() {
        // Runs of 100 changed bytes between single unchanged ones, the last byte changed, with 1 to
        // 20 unchanged stretches of 16 to 300 bytes spread over the page: the output runs ahead of
        // the input, so the encoder tries to prove the rest cannot fit; that scan goes past up to
        // 16 stretches (listing where nzruns end, for the rest to be encoded from the list)
        // and gives up on a page with more. With one or two 16-byte stretches the page overflows
        // (4124 and 4109 bytes); limits around the exact length, both sides of 4096.
        for (int[] shapeOf : new int[][] {{1, 16}, {2, 16}, {16, 16}, {17, 16}, {20, 16}, {1, 300}, {2, 300},
            {4, 200}}) {
            int stretches = shapeOf[0];
            int stretch = shapeOf[1];
            byte[] old = new byte[4096];
            byte[] cur = new byte[4096];
            for (int p = 0; p < 4096; p += 101) {
                Arrays.fill(cur, p, Math.min(p + 100, 4096), (byte) 5);
            }
            int gap = 4096 / (stretches + 1);
            for (int k = 1; k <= stretches; k++) {
                Arrays.fill(cur, k * gap - stretch / 2, k * gap + (stretch + 1) / 2, (byte) 0);
            }
            cur[4095] = 5;
            byte[] ref = new byte[8192];
            int length = ReferenceXbzrle.encode(old, cur, 4096, ref, 8192);
            String shape = stretches + " stretches of " + stretch;
            for (XbzrleCodec codec : Codecs.all(4096)) {
                for (int limit : new int[] {length - 1, length, length + 1, 4095, 4096, 4100}) {
                    byte[] out = new byte[8192];
                    int expected = ReferenceXbzrle.encode(old, cur, 4096, ref, limit);
                    int n = codec.encode(old, 0, cur, 0, out, 0, limit);
                    assertEquals(expected, n, Codecs.name(codec) + ", " + shape + ", limit " + limit);
                    if (n > 0) {
                        assertArrayEquals(Arrays.copyOf(ref, n), Arrays.copyOf(out, n),
                                Codecs.name(codec) + ", " + shape + ", limit " + limit);
                    }
                }
            }
        }
    }

    @Test
    void aDenseRestThatFitsIsEncodedFromTheMasksTheOverflowProofKeptEvenWhereTheOutputReachedThem() {
        // 2660 bytes where every second byte changed (3 output bytes per 2), then unchanged up to
        // the last two bytes: the encoder tries to prove the rest cannot fit and fails (3995
        // bytes), and goes on from the block masks the proof kept in the last 512 bytes of the
        // output space; from block 41 on the output has reached them and they are computed again.
        byte[] old = new byte[4096];
        byte[] cur = new byte[4096];
        for (int k = 1; k < 2660; k += 2) {
            cur[k] = 7;
        }
        cur[4094] = 1;
        cur[4095] = 2;
        byte[] ref = new byte[4100];
        int fits = ReferenceXbzrle.encode(old, cur, 4096, ref, 4096);
        assertEquals(3995, fits, "the reference");
        for (XbzrleCodec codec : Codecs.all(4096)) {
            for (int limit : new int[] {3994, 3995, 3996, 4096, 4100}) {
                byte[] out = new byte[4100];
                int n = codec.encode(old, 0, cur, 0, out, 0, limit);
                assertEquals(limit >= 3995 ? 3995 : -1, n, Codecs.name(codec) + ", limit " + limit);
                if (n > 0) {
                    assertArrayEquals(Arrays.copyOf(ref, n), Arrays.copyOf(out, n), Codecs.name(codec));
                }
            }
        }
    }

    @Test
    void aRestWithRunsOf128BytesOrMoreFitsUpToItsExactLength() {
        // One changed byte in two up to 600 (the output runs ahead: the encoder tries to prove
        // that the rest cannot fit, counting 2-byte lengths for its runs of 128 bytes or more),
        // then zero and data runs of 150 to 2000 bytes; with and without an unchanged tail. At
        // the exact length it fits: a run counted twice, or one too long, would say it cannot.
        for (int tail : new int[] {0, 6}) {
            byte[] old = new byte[4096];
            byte[] cur = new byte[4096];
            for (int k = 1; k < 600; k += 2) {
                cur[k] = 3;
            }
            Arrays.fill(cur, 800, 1100, (byte) 4);
            Arrays.fill(cur, 1250, 3250, (byte) 5);
            Arrays.fill(cur, 4000, 4096 - tail, (byte) 6);
            byte[] ref = new byte[4200];
            int length = ReferenceXbzrle.encode(old, cur, 4096, ref, 4200);
            assertEquals(2 * 300 + 300 + (2 + 2 + 300) + (2 + 2 + 2000) + (2 + 1 + 96 - tail), length,
                    "the reference, tail " + tail);
            for (XbzrleCodec codec : Codecs.all(4096)) {
                for (int limit = length - 2; limit <= length + 3; limit++) {
                    byte[] out = new byte[4200];
                    int n = codec.encode(old, 0, cur, 0, out, 0, limit);
                    int fits = tail == 0 ? length : length + 2;
                    assertEquals(limit >= fits ? length : -1, n,
                            Codecs.name(codec) + ", tail " + tail + ", limit " + limit);
                    if (n > 0) {
                        assertArrayEquals(Arrays.copyOf(ref, n), Arrays.copyOf(out, n), Codecs.name(codec));
                    }
                }
            }
        }
    }

    @Test
    void aRunThroughWholeBlocksEndsAtEachByteOfTheBlockWhereItEnds() {
        // Runs that go past the next 64-byte block skip blocks that differ throughout, then read
        // the mask of the block where they end: every end offset in blocks 2 to 5 after the start,
        // then an unchanged gap inside that block or past it, then a short run; and runs to the
        // page's end or to one byte before it.
        for (XbzrleCodec codec : Codecs.all(4096)) {
            for (int start : new int[] {5, 64}) {
                for (int length = 100; length <= 330; length++) {
                    for (int gap : new int[] {1, 70}) {
                        byte[] old = new byte[4096];
                        byte[] cur = new byte[4096];
                        Arrays.fill(cur, start, start + length, (byte) 9);
                        Arrays.fill(cur, start + length + gap, start + length + gap + 3, (byte) 9);
                        assertSameAsReference(codec, old, cur,
                                "start " + start + ", length " + length + ", gap " + gap);
                    }
                }
                for (int toEnd : new int[] {0, 1}) {
                    byte[] old = new byte[4096];
                    byte[] cur = new byte[4096];
                    Arrays.fill(cur, start, 4096 - toEnd, (byte) 9);
                    assertSameAsReference(codec, old, cur, "start " + start + ", to " + (4096 - toEnd));
                }
            }
        }
    }

    @Test
    void aDenseFirstBlockIsProvenOrEncodedFromItsMasksAtOnce() {
        // A first block of many short runs whose pairs take more than the block: the overflow
        // proof is tried before any pair is written, so where the page fits, its first pair (and
        // its zrun from the page's start) comes from what the proof kept. Dense stretches of 64
        // to 600 bytes from byte 0 or 3, then nothing, a long run, changes to the end, or a long
        // run with one equal byte in word 1 to 7 of blocks whose first word differs throughout (the
        // proof tests such blocks whole); at limits around the exact length.
        for (int start : new int[] {0, 3}) {
            for (int dense : new int[] {64, 200, 600}) {
                for (int rest = 0; rest < 4; rest++) {
                    byte[] old = new byte[4096];
                    byte[] cur = new byte[4096];
                    for (int k = start; k < start + dense; k += 2) {
                        cur[k] = 7;
                    }
                    if (rest == 1) {
                        Arrays.fill(cur, 1000, 3900, (byte) 8);
                    } else if (rest == 2) {
                        Arrays.fill(cur, start + dense + 1, 4096, (byte) 8);
                    } else if (rest == 3) {
                        // To the end: a page whose last 64 bytes are unchanged never tries the proof.
                        Arrays.fill(cur, 1000, 4096, (byte) 8);
                        for (int word = 1; word < 8; word++) {
                            cur[1024 + 256 * word + 8 * word + word] = 0;
                        }
                    }
                    String what = "start " + start + ", dense " + dense + ", rest " + rest;
                    int length = ReferenceXbzrle.encode(old, cur, 4096, new byte[8192], 8192);
                    for (XbzrleCodec codec : Codecs.all(4096)) {
                        for (int limit = length - 2; limit <= length + 3; limit++) {
                            assertSameAsReference(codec, old, cur, limit, what);
                        }
                        assertSameAsReference(codec, old, cur, 4096, what);
                    }
                }
            }
        }
    }

    @Test
    void aPageOfShortRunsNearItsLimitIsProvenAfterItsFourthRun() {
        // Runs of 40 to 120 changed bytes between 1 or 2 unchanged ones, at limits around the exact
        // length: the output runs at about the rate that would fit, so the overflow proof is tried
        // after the fourth run, well before an eighth of the output is written, and the rest is
        // proven to overflow or encoded from the proof's list. To the page's end, or to an
        // unchanged tail of 1 to 3 bytes (shorter than the 64 that keep a page from the proof);
        // and the same with zruns of 12 to 15 bytes, a page of about 3600 bytes whose output runs
        // near limits around that length.
        int[] runs = {40, 97, 120, 63, 88, 111, 52};
        for (int zruns = 1; zruns <= 12; zruns += 11) {
            for (int tail = 0; tail <= 3; tail++) {
                byte[] old = new byte[4096];
                byte[] cur = new byte[4096];
                int k = 0;
                for (int p = zruns == 1 ? 0 : 5; p < 4096 - tail; k++) {
                    int run = Math.min(runs[k % runs.length], 4096 - tail - p);
                    Arrays.fill(cur, p, p + run, (byte) (k + 1));
                    p += run + zruns + k % (zruns == 1 ? 2 : 4);
                }
                String what = "zruns from " + zruns + ", tail " + tail;
                int length = ReferenceXbzrle.encode(old, cur, 4096, new byte[8192], 8192);
                for (XbzrleCodec codec : Codecs.all(4096)) {
                    for (int limit = length - 3; limit <= length + 3; limit++) {
                        assertSameAsReference(codec, old, cur, limit, what);
                    }
                }
            }
        }
    }

    @Test
    void nzrunsEndingSeveralToAWordOrInThePagesLastWordAreListedInOrder() {
        // Runs of 100 changed bytes between single unchanged ones, shifted by 0 to 7 bytes so that
        // the words proof meets the rest at every alignment (the page's last word overlapping the
        // one it read before, or not), with 40 bytes where every other byte is unchanged (each
        // word of them ends four nzruns) and the same in the page's last 8 bytes; at limits around
        // the exact length, where the rest is proven to overflow or encoded from the list.
        for (int shift = 0; shift < 8; shift++) {
            byte[] old = new byte[4096];
            byte[] cur = new byte[4096];
            for (int p = shift; p < 4088; p += 101) {
                Arrays.fill(cur, p, Math.min(p + 100, 4088), (byte) 5);
            }
            for (int p = 2000; p < 2040; p += 2) {
                cur[p] = 0;
            }
            for (int p = 4088; p < 4096; p += 2) {
                cur[p] = 6;
            }
            int length = ReferenceXbzrle.encode(old, cur, 4096, new byte[8192], 8192);
            for (XbzrleCodec codec : Codecs.all(4096)) {
                for (int limit = length - 2; limit <= length + 3; limit++) {
                    assertSameAsReference(codec, old, cur, limit, "shift " + shift);
                }
            }
        }
    }

    private static void assertSameAsReference(XbzrleCodec codec, byte[] old, byte[] cur, String what) {
        assertSameAsReference(codec, old, cur, 4096, what);
    }

    private static void assertSameAsReference(XbzrleCodec codec, byte[] old, byte[] cur, int limit, String what) {
        byte[] ref = new byte[limit];
        int length = ReferenceXbzrle.encode(old, cur, 4096, ref, limit);
        byte[] out = new byte[limit];
        int n = codec.encode(old, 0, cur, 0, out, 0, limit);
        String where = Codecs.name(codec) + ", " + what + ", limit " + limit;
        assertEquals(length, n, where);
        if (n > 0) {
            assertArrayEquals(Arrays.copyOf(ref, length), Arrays.copyOf(out, n), where);
        }
    }
}
