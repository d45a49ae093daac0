package io.xbzrle.migration.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

final class SyntheticGuestTest {

    private static final int PAGE = 4096;
    private static final long WAIT_NANOS = 20_000_000_000L;

    /** Spins (no sleep) until {@code done} holds; fails after a bounded wait. */
    private static void spinUntil(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out waiting until " + what);
            }
            Thread.onSpinWait();
        }
    }

    private static long seed(String test) {
        long seed = new SplittableRandom().nextLong();
        System.out.println("SyntheticGuestTest." + test + " seed=" + seed);
        return seed;
    }

    private static byte[] memory(GuestMemory guest) {
        byte[] all = new byte[Math.toIntExact(guest.pageCount() * guest.pageSize())];
        for (long p = 0; p < guest.pageCount(); p++) {
            guest.readPage(p, all, (int) (p * guest.pageSize()));
        }
        return all;
    }

    /** Copies the pages {@code dirty} marks into {@code shadow}; returns how many. */
    private static long copyDirty(GuestMemory guest, DirtyBitmap dirty, byte[] shadow) {
        long n = 0;
        for (long p = dirty.nextSetBit(0); p >= 0; p = dirty.nextSetBit(p + 1)) {
            guest.readPage(p, shadow, (int) (p * guest.pageSize()));
            n++;
        }
        return n;
    }

    /** The core property of pre-copy: sync, copy what is dirty, repeat; after pause nothing is lost. */
    @ParameterizedTest
    @EnumSource(value = Workload.class, names = "IDLE", mode = EnumSource.Mode.EXCLUDE)
    void theDirtyLogLosesNothing(Workload workload) {
        long seed = seed("theDirtyLogLosesNothing." + workload);
        SyntheticGuest.Spec spec = new SyntheticGuest.Spec("ram", 4 << 20, PAGE, workload, 0, seed);
        try (SyntheticGuest guest = SyntheticGuest.start(spec)) {
            DirtyBitmap dirty = new DirtyBitmap(guest.pageCount());
            byte[] shadow = new byte[4 << 20];
            guest.syncDirtyLog(dirty);
            assertEquals(guest.pageCount(), dirty.cardinality(), "every page is dirty at the first sync");
            copyDirty(guest, dirty, shadow);
            int[] roundsWithWrites = {0};
            spinUntil(() -> {
                guest.syncDirtyLog(dirty);
                if (copyDirty(guest, dirty, shadow) > 0) {
                    roundsWithWrites[0]++;
                }
                return roundsWithWrites[0] >= 30;
            }, "30 rounds saw writes");
            guest.pause();
            guest.syncDirtyLog(dirty);
            copyDirty(guest, dirty, shadow);
            byte[] actual = memory(guest);
            if (!Arrays.equals(actual, shadow)) {
                long page = Arrays.mismatch(actual, shadow) / PAGE;
                fail("seed=" + seed + " " + workload + ": the shadow copy misses a write to page " + page);
            }
        }
    }

    @Test
    void pauseStopsTheWriterAndResumeRestartsIt() {
        long seed = seed("pauseStopsTheWriterAndResumeRestartsIt");
        SyntheticGuest.Spec spec = new SyntheticGuest.Spec("ram", 4 << 20, PAGE, Workload.SPARSE_RANDOM, 0, seed);
        try (SyntheticGuest guest = SyntheticGuest.start(spec)) {
            DirtyBitmap dirty = new DirtyBitmap(guest.pageCount());
            guest.syncDirtyLog(dirty);
            spinUntil(() -> {
                guest.syncDirtyLog(dirty);
                return dirty.cardinality() > 0;
            }, "the writer writes");
            guest.pause();
            assertTrue(guest.paused());
            guest.syncDirtyLog(dirty);
            byte[] first = memory(guest);
            for (int round = 0; round < 5; round++) {
                byte[] again = memory(guest);
                assertArrayEquals(first, again, "seed=" + seed + ": memory changed while paused");
                guest.syncDirtyLog(dirty);
                assertEquals(0, dirty.cardinality(), "seed=" + seed + ": pages dirtied while paused");
            }
            guest.pause(); // idempotent
            guest.resume();
            assertFalse(guest.paused());
            spinUntil(() -> {
                guest.syncDirtyLog(dirty);
                return dirty.cardinality() > 0;
            }, "the writer writes again after resume");
            guest.resume(); // idempotent
        }
    }

    @Test
    void aThrottledWriterStillWrites() {
        SyntheticGuest.Spec spec = SyntheticGuest.Spec.of(1 << 20, Workload.FULL_PAGE);
        try (SyntheticGuest guest = SyntheticGuest.start(spec)) {
            guest.throttle(0.9);
            DirtyBitmap dirty = new DirtyBitmap(guest.pageCount());
            guest.syncDirtyLog(dirty);
            spinUntil(() -> {
                guest.syncDirtyLog(dirty);
                return dirty.cardinality() > 0;
            }, "the throttled writer writes");
            guest.throttle(0);
            assertThrows(IllegalArgumentException.class, () -> guest.throttle(1));
            assertThrows(IllegalArgumentException.class, () -> guest.throttle(-0.1));
            assertThrows(IllegalArgumentException.class, () -> guest.throttle(Double.NaN));
        }
    }

    @Test
    void seedCounterIncrementsEvery1024thByteOfTheFirst16MiB() {
        long seed = seed("seedCounterIncrementsEvery1024thByteOfTheFirst16MiB");
        SyntheticGuest.Spec spec = SyntheticGuest.Spec.of(24 << 20, Workload.SEED_COUNTER).withSeed(seed);
        try (SyntheticGuest guest = SyntheticGuest.start(spec)) {
            guest.pause();
            byte[] before = memory(guest);
            DirtyBitmap dirty = new DirtyBitmap(guest.pageCount());
            DirtyBitmap seen = new DirtyBitmap(guest.pageCount());
            guest.syncDirtyLog(dirty);
            guest.resume();
            int bufferPages = (16 << 20) / PAGE;
            long[] seenCount = {0};
            spinUntil(() -> {
                guest.syncDirtyLog(dirty);
                for (long p = dirty.nextSetBit(0); p >= 0; p = dirty.nextSetBit(p + 1)) {
                    if (!seen.get(p)) {
                        seen.set(p);
                        seenCount[0]++;
                    }
                }
                return seenCount[0] >= bufferPages;
            }, "a whole pass");
            guest.pause();
            guest.syncDirtyLog(dirty);
            byte[] after = memory(guest);
            assertEquals(bufferPages, seenCount[0], "only pages of the 16 MiB buffer are dirtied");
            int firstMove = (byte) (after[0] - before[0]);
            for (int i = 0; i < after.length; i++) {
                if (i < (16 << 20) && i % 1024 == 0) {
                    int move = (byte) (after[i] - before[i]);
                    int lag = (byte) (move - firstMove);
                    assertTrue(lag == 0 || lag == -1 || lag == 1,
                            "the counters moved within one pass of each other at " + i);
                } else if (after[i] != before[i]) {
                    fail("seed=" + seed + ": byte " + i + " changed; seed-counter writes only every 1024th byte of"
                            + " the first 16 MiB");
                }
            }
            assertNotEquals(0, firstMove | (byte) (after[(16 << 20) - 1024] - before[(16 << 20) - 1024]),
                    "the counters moved");
            assertEquals(0, (16 << 20) / PAGE - nonZeroPages(before, 0, (16 << 20) / PAGE),
                    "the buffer holds data: no page of it is all zero, whatever its counters say");
            assertTrue(nonZeroPages(before, (16 << 20) / PAGE, before.length / PAGE) > 0,
                    "pages past the buffer hold the initial pattern");
        }
    }

    @Test
    void smallGuestSeedCounterUsesAllOfIt() {
        SyntheticGuest.Spec spec = SyntheticGuest.Spec.of(64 << 10, Workload.SEED_COUNTER);
        assertEquals(100 * 16, spec.pagesPerSecond());
        try (SyntheticGuest guest = SyntheticGuest.start(spec)) {
            DirtyBitmap dirty = new DirtyBitmap(guest.pageCount());
            DirtyBitmap seen = new DirtyBitmap(guest.pageCount());
            guest.syncDirtyLog(dirty);
            spinUntil(() -> {
                guest.syncDirtyLog(dirty);
                for (long p = dirty.nextSetBit(0); p >= 0; p = dirty.nextSetBit(p + 1)) {
                    seen.set(p);
                }
                return seen.cardinality() == 16;
            }, "every page of a 64 KiB guest is written");
        }
    }

    @Test
    void hotColdSendsMostWritesToATenthOfThePages() {
        long seed = seed("hotColdSendsMostWritesToATenthOfThePages");
        SyntheticGuest.Spec spec = new SyntheticGuest.Spec("ram", 16 << 20, PAGE, Workload.HOT_COLD, 20_000, seed);
        try (SyntheticGuest guest = SyntheticGuest.start(spec)) {
            DirtyBitmap dirty = new DirtyBitmap(guest.pageCount());
            long hotPages = guest.pageCount() / 10;
            long[] hot = {0};
            long[] cold = {0};
            guest.syncDirtyLog(dirty);
            spinUntil(() -> {
                guest.syncDirtyLog(dirty);
                for (long p = dirty.nextSetBit(0); p >= 0; p = dirty.nextSetBit(p + 1)) {
                    if (p < hotPages) {
                        hot[0]++;
                    } else {
                        cold[0]++;
                    }
                }
                return hot[0] + cold[0] >= 2000;
            }, "2000 page writes");
            double share = hot[0] / (double) (hot[0] + cold[0]);
            assertTrue(share > 0.8 && share < 0.97, "seed=" + seed + ": hot share " + share);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Workload.class, names = {"SPARSE_RANDOM", "FULL_PAGE"})
    void sparseChangesAFewBytesAndFullPageAllOfThem(Workload workload) {
        long seed = seed("sparseChangesAFewBytesAndFullPageAllOfThem." + workload);
        SyntheticGuest.Spec spec = new SyntheticGuest.Spec("ram", 16 << 20, PAGE, workload, 5_000, seed);
        try (SyntheticGuest guest = SyntheticGuest.start(spec)) {
            DirtyBitmap dirty = new DirtyBitmap(guest.pageCount());
            byte[] shadow = new byte[16 << 20];
            guest.syncDirtyLog(dirty);
            copyDirty(guest, dirty, shadow);
            byte[] page = new byte[PAGE];
            long[] pages = {0};
            long[] changed = {0};
            spinUntil(() -> {
                guest.syncDirtyLog(dirty);
                for (long p = dirty.nextSetBit(0); p >= 0; p = dirty.nextSetBit(p + 1)) {
                    guest.readPage(p, page, 0);
                    int base = (int) p * PAGE;
                    for (int i = 0; i < PAGE; i++) {
                        if (page[i] != shadow[base + i]) {
                            changed[0]++;
                        }
                    }
                    System.arraycopy(page, 0, shadow, base, PAGE);
                    pages[0]++;
                }
                return pages[0] >= 500;
            }, "500 page writes");
            double perPage = changed[0] / (double) pages[0];
            if (workload == Workload.SPARSE_RANDOM) {
                assertTrue(perPage > 0.5 && perPage <= 8, "seed=" + seed + ": " + perPage + " bytes per page");
            } else {
                assertTrue(perPage > PAGE / 2, "seed=" + seed + ": " + perPage + " bytes per page");
            }
        }
    }

    @Test
    void idleWritesNothing() {
        SyntheticGuest.Spec spec = SyntheticGuest.Spec.of(1 << 20, Workload.IDLE);
        try (SyntheticGuest guest = SyntheticGuest.start(spec)) {
            DirtyBitmap dirty = new DirtyBitmap(guest.pageCount());
            guest.syncDirtyLog(dirty);
            assertEquals(256, dirty.cardinality());
            byte[] first = memory(guest);
            int nonZero = nonZeroPages(first, 0, 256);
            assertTrue(nonZero > 128 && nonZero < 256, "most pages hold the pattern, some are zero: " + nonZero);
            for (int round = 0; round < 5; round++) {
                guest.syncDirtyLog(dirty);
                assertEquals(0, dirty.cardinality());
                assertArrayEquals(first, memory(guest));
            }
            guest.pause();
            guest.throttle(0.5);
            guest.resume();
        }
    }

    @Test
    void theSeedDecidesTheInitialContent() {
        SyntheticGuest.Spec spec = SyntheticGuest.Spec.of(1 << 20, Workload.IDLE);
        try (SyntheticGuest a = SyntheticGuest.start(spec.withSeed(7));
                SyntheticGuest b = SyntheticGuest.start(spec.withSeed(7));
                SyntheticGuest c = SyntheticGuest.start(spec.withSeed(8))) {
            assertArrayEquals(memory(a), memory(b));
            assertFalse(Arrays.equals(memory(a), memory(c)));
        }
    }

    /** Off-heap chunks: a guest larger than one ByteBuffer can hold (direct memory is allocated zeroed). */
    @Test
    void aGuestOf3GiB() {
        long bytes = 3L << 30;
        try (SyntheticGuest guest = SyntheticGuest.start(SyntheticGuest.Spec.of(bytes, Workload.IDLE))) {
            assertEquals(bytes / PAGE, guest.pageCount());
            byte[] page = new byte[PAGE];
            int nonZero = 0;
            for (long p = guest.pageCount() - 64; p < guest.pageCount(); p++) {
                guest.readPage(p, page, 0);
                nonZero += isZero(page) ? 0 : 1;
            }
            assertTrue(nonZero > 32, "the last chunk holds the pattern: " + nonZero + " of 64 pages");
            guest.readPage((1L << 30) / PAGE, page, 0); // first page of the second chunk
            guest.readPage((1L << 30) / PAGE - 1, page, 0); // last page of the first chunk
            DirtyBitmap dirty = new DirtyBitmap(guest.pageCount());
            guest.syncDirtyLog(dirty);
            assertEquals(guest.pageCount(), dirty.cardinality());
            assertThrows(IndexOutOfBoundsException.class, () -> guest.readPage(guest.pageCount(), page, 0));
        }
    }

    @Test
    void rejectsBadSpecsAndUseAfterClose() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SyntheticGuest.Spec("ram", 4097, PAGE, Workload.IDLE, 0, 1));
        assertEquals("guest size 4097 bytes is not a positive whole number of 4096-byte pages", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SyntheticGuest.Spec("ram", 8192, 3000, Workload.IDLE,
                0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SyntheticGuest.Spec("ram", 8192, PAGE, Workload.IDLE,
                -1, 1));
        assertThrows(NullPointerException.class, () -> new SyntheticGuest.Spec("ram", 8192, PAGE, null, 0, 1));
        SyntheticGuest guest = SyntheticGuest.start(SyntheticGuest.Spec.of(8192, Workload.SPARSE_RANDOM));
        byte[] page = new byte[PAGE];
        assertThrows(IndexOutOfBoundsException.class, () -> guest.readPage(0, page, 1));
        assertThrows(IllegalArgumentException.class, () -> guest.syncDirtyLog(new DirtyBitmap(3)));
        guest.close();
        guest.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> guest.readPage(0, page, 0));
        assertEquals("guest 'ram' is closed", closed.getMessage());
    }

    @Test
    void workloadsHaveTheirCommandLineNames() {
        assertEquals(Workload.HOT_COLD, Workload.fromName("hot-cold"));
        assertEquals("seed-counter", Workload.SEED_COUNTER.cliName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workload.fromName("busy"));
        assertEquals("No workload named 'busy'; available: seed-counter, sparse-random, hot-cold, full-page, idle",
                e.getMessage());
    }

    private static boolean isZero(byte[] page) {
        for (byte b : page) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static int nonZeroPages(byte[] memory, int fromPage, int toPage) {
        int n = 0;
        for (int p = fromPage; p < toPage; p++) {
            if (!isZero(Arrays.copyOfRange(memory, p * PAGE, (p + 1) * PAGE))) {
                n++;
            }
        }
        return n;
    }
}
