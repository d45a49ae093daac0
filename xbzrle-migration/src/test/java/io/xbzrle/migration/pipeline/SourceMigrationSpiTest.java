package io.xbzrle.migration.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.AdditionalAnswers.delegatesTo;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.xbzrle.api.cache.CacheStats;
import io.xbzrle.api.cache.PageCache;
import io.xbzrle.api.codec.PageCodec;
import io.xbzrle.migration.memory.SyntheticGuest;
import io.xbzrle.migration.memory.Workload;
import io.xbzrle.migration.stream.Limits;
import io.xbzrle.migration.stream.StreamHeader;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The source against faked SPIs: a codec that overflows, caches that refuse, a transport that breaks. */
final class SourceMigrationSpiTest {
    private static final int PAGE = ScriptedGuest.PAGE;
    private static final MigrationSettings FAST = Loopback.settings(true, 0, Duration.ofMillis(100), Duration.ofSeconds(30));

    /**
     * 256 non-zero pages; pages 0..199 change a few bytes before rounds 2 and 3, page 0 before round
     * 4, the last (200 dirty pages are 200 ms of expected downtime, over the 100 ms limit).
     */
    private static ScriptedGuest threeRoundGuest(long seed) {
        System.out.println("guest seed: " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        ScriptedGuest.Step some = g -> few(g, 0, 200, random);
        return new ScriptedGuest(256, m -> {
            random.nextBytes(m);
            for (int p = 0; p < 256; p++) {
                m[p * PAGE] = 1;
            }
        }, List.of(some, some, g -> few(g, 0, 1, random)));
    }

    private static void few(ScriptedGuest g, int from, int to, SplittableRandom random) {
        for (int p = from; p < to; p++) {
            byte[] page = g.page(p);
            for (int k = 0; k < 6; k++) {
                page[1 + random.nextInt(PAGE - 1)] ^= (byte) (1 + random.nextInt(255));
            }
            g.write(p, page);
        }
    }

    private static void assertVerified(Loopback.Outcome o) {
        assertEquals("completed", o.source().status(), o.source().toString());
        assertEquals(Boolean.TRUE, o.source().verifyMatch(), o.source().toString());
        assertNull(o.source().error());
        assertEquals("completed", o.destination().status(), o.destination().toString());
        assertEquals(o.source().digest(), o.destination().digest());
    }

    @Test
    void aCodecThatAlwaysOverflowsSendsEveryLaterPageRaw() throws Exception {
        PageCodec real = Loopback.codec();
        PageCodec codec = mock(PageCodec.class, delegatesTo(real));
        doReturn(PageCodec.OVERFLOW).when(codec).encode(any(), anyInt(), any(), anyInt(), any(), anyInt(), anyInt());
        ScriptedGuest guest = threeRoundGuest(System.nanoTime());

        Loopback.Outcome o = Loopback.run(guest, codec, Loopback.cache("lru", 4 << 20), InMemoryTransport.duplex(),
                FAST, guest.clock::get);

        assertVerified(o);
        MigrationResult.Cache c = o.source().cache();
        assertEquals(200 + 1, c.overflow(), "every hit of rounds 3 and 4 overflows: " + o.source());
        assertEquals(c.pages(), c.overflow());
        assertEquals(200, c.cacheMiss(), "round 2's misses");
        assertEquals(c.overflow() * PAGE, c.bytes(), "an overflow counts a page, as QEMU");
        assertEquals(256 + 200 + 200 + 1, o.source().ram().normal(), "round 1, then misses and overflows, all RAW");
        assertEquals(0, o.destination().cache().pages(), "the destination got no XBZRLE record");
        verify(codec, times(201)).encode(any(), anyInt(), any(), anyInt(), any(), anyInt(), eq(PAGE));
    }

    /**
     * QEMU's xbzrle {@code bytes}: a delta counts its length plus 3 (QEMU's flag byte and 16-bit
     * length; the page's address is left out), an overflow a whole page, and so {@code encoding-rate}
     * compares with QEMU's for the same deltas.
     */
    @Test
    void xbzrleBytesCountEachDeltaAsQemuDoes() throws Exception {
        PageCodec real = Loopback.codec();
        PageCodec codec = mock(PageCodec.class, delegatesTo(real));
        long[] expected = new long[1];
        doAnswer(inv -> {
            Object[] a = inv.getArguments();
            int n = real.encode((byte[]) a[0], (int) a[1], (byte[]) a[2], (int) a[3], (byte[]) a[4], (int) a[5],
                    (int) a[6]);
            expected[0] += n > 0 ? n + 3 : n < 0 ? PAGE : 0;
            return n;
        }).when(codec).encode(any(), anyInt(), any(), anyInt(), any(), anyInt(), anyInt());
        ScriptedGuest guest = threeRoundGuest(System.nanoTime());

        Loopback.Outcome o = Loopback.run(guest, codec, Loopback.cache("lru", 4 << 20), InMemoryTransport.duplex(),
                FAST, guest.clock::get);

        assertVerified(o);
        MigrationResult.Cache c = o.source().cache();
        assertTrue(c.pages() > 0 && expected[0] > 0, o.source().toString());
        assertEquals(expected[0], c.bytes(), o.source().toString());
    }

    /**
     * The cache's size changed while rounds run, from another thread as the MXBean does (QEMU's
     * xbzrle-cache-size): shrunk to 16 pages before round 3, grown to 512 before round 4. Round 3
     * finds at most the 16 pages kept, round 5 all 200 again, and the memory still verifies.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lru", "aging"})
    void theCacheResizedFromAnotherThreadWhileRoundsRunStaysCorrect(String policy) throws Exception {
        long seed = System.nanoTime();
        System.out.println("guest seed: " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        PageCache cache = Loopback.cache(policy, 256L * PAGE);
        ScriptedGuest.Step some = g -> few(g, 0, 200, random);
        ScriptedGuest.Step shrink = g -> {
            resizeFromAnotherThread(cache, 16L * PAGE);
            few(g, 0, 200, random);
        };
        ScriptedGuest.Step grow = g -> {
            resizeFromAnotherThread(cache, 512L * PAGE);
            few(g, 0, 200, random);
        };
        ScriptedGuest guest = new ScriptedGuest(256, m -> {
            random.nextBytes(m);
            for (int p = 0; p < 256; p++) {
                m[p * PAGE] = 1;
            }
        }, List.of(some, shrink, grow, some, g -> few(g, 0, 1, random)));

        Loopback.Outcome o = Loopback.run(guest, Loopback.codec(), cache, InMemoryTransport.duplex(), FAST,
                guest.clock::get);

        assertVerified(o);
        List<MigrationResult.Round> rounds = o.source().rounds();
        assertEquals(6, rounds.size(), rounds.toString());
        assertTrue(rounds.get(2).xbzrlePages() <= 16, "round 3 after the shrink: " + rounds);
        assertEquals(200, rounds.get(4).xbzrlePages(), "round 5 after the growth: " + rounds);
        assertEquals(512L * PAGE, cache.capacityBytes());
    }

    private static void resizeFromAnotherThread(PageCache cache, long bytes) {
        Thread jmx = new Thread(() -> cache.resize(bytes), "test-jmx");
        jmx.start();
        try {
            jmx.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aCacheThatRefusesEveryPutMissesEveryLookupAndSendsRaw() throws Exception {
        PageCache cache = mock(PageCache.class);
        when(cache.pageSize()).thenReturn(PAGE);
        when(cache.capacityBytes()).thenReturn(1L << 20);
        when(cache.lookup(anyLong(), anyLong())).thenReturn(PageCache.MISS);
        when(cache.put(anyLong(), any(), anyInt(), anyLong())).thenReturn(false);
        ScriptedGuest guest = threeRoundGuest(System.nanoTime());

        Loopback.Outcome o = Loopback.run(guest, Loopback.codec(), cache, InMemoryTransport.duplex(), FAST,
                guest.clock::get);

        assertVerified(o);
        assertEquals(0, o.source().cache().pages(), "no hit");
        assertEquals(200 + 200 + 1, o.source().cache().cacheMiss());
        assertEquals(256 + 200 + 200 + 1, o.source().ram().normal());
        assertEquals(0, o.destination().cache().pages());
        verify(cache, times(400)).put(anyLong(), any(), anyInt(), anyLong()); // rounds 2 and 3; not 1, not the last
        verify(cache, never()).put(anyLong(), any(), anyInt(), eq(1L));
        verify(cache, never()).array(anyLong());
    }

    /**
     * A policy may refuse to replace a page it holds: the stale copy must then not stay, or the next
     * delta is made against bytes the destination no longer has.
     */
    @Test
    void aCacheThatRefusesToUpdateAPageItHoldsNeverLeavesAStaleCopy() throws Exception {
        StickyCache cache = new StickyCache();
        SplittableRandom random = new SplittableRandom(7);
        ScriptedGuest.Step flip = g -> {
            for (int p = 0; p < 200; p++) {
                byte[] page = g.page(p);
                page[100] ^= (byte) 0xFF;
                g.write(p, page);
            }
        };
        // Round 2 caches the pages, round 3 changes byte 100 of each (the cache refuses the update),
        // round 4 changes page 0's back: against a stale copy it would look unchanged and not be sent.
        ScriptedGuest guest = new ScriptedGuest(256, m -> {
            random.nextBytes(m);
            for (int p = 0; p < 256; p++) {
                m[p * PAGE] = 1;
            }
        }, List.of(g -> few(g, 0, 200, random), flip, g -> {
            byte[] page = g.page(0);
            page[100] ^= (byte) 0xFF;
            g.write(0, page);
        }));

        Loopback.Outcome o = Loopback.run(guest, Loopback.codec(), cache, InMemoryTransport.duplex(), FAST,
                guest.clock::get);

        assertVerified(o);
        assertTrue(o.source().cache().pages() > 0, "the cache hit: " + o.source());
        assertTrue(cache.refusals > 0, "the cache refused updates");
    }

    /** Keeps the first copy of each page: a put of a page it holds is refused. */
    private static final class StickyCache implements PageCache {
        private final Map<Long, byte[]> pages = new HashMap<>();
        private final List<byte[]> handles = new java.util.ArrayList<>();
        int refusals;

        @Override
        public int pageSize() {
            return PAGE;
        }

        @Override
        public long capacityBytes() {
            return 1L << 30;
        }

        @Override
        public long lookup(long pageIndex, long generation) {
            byte[] p = pages.get(pageIndex);
            if (p == null) {
                return MISS;
            }
            handles.clear();
            handles.add(p);
            return 0;
        }

        @Override
        public byte[] array(long handle) {
            return handles.get((int) handle);
        }

        @Override
        public int offset(long handle) {
            return 0;
        }

        @Override
        public boolean put(long pageIndex, byte[] src, int offset, long generation) {
            if (pages.containsKey(pageIndex)) {
                refusals++;
                return false;
            }
            pages.put(pageIndex, java.util.Arrays.copyOfRange(src, offset, offset + PAGE));
            return true;
        }

        @Override
        public boolean remove(long pageIndex) {
            return pages.remove(pageIndex) != null;
        }

        @Override
        public void resize(long capacityBytes) {
        }

        @Override
        public void clear() {
            pages.clear();
        }

        @Override
        public CacheStats stats() {
            return new CacheStats(capacityBytes(), pages.size(), 0, 0, 0, 0, refusals);
        }
    }

    @Test
    void aConnectionThatBreaksMidRoundFailsWithTheCause() throws Exception {
        try (SyntheticGuest guest = SyntheticGuest.start(SyntheticGuest.Spec.of(4 << 20, Workload.SPARSE_RANDOM))) {
            AtomicBoolean pausedAtFailure = new AtomicBoolean(true);
            InMemoryTransport transport = InMemoryTransport.failingAfter(1_000_000, () -> pausedAtFailure.set(guest.paused()));

            Loopback.Outcome o = Loopback.run(guest, Loopback.codec(), Loopback.cache("aging", 4 << 20), transport,
                    FAST, System::nanoTime);

            assertEquals("failed", o.source().status());
            assertEquals("connection reset by the fake peer after 1000000 bytes", o.source().error());
            assertFalse(pausedAtFailure.get(), "it broke in round 1, the guest running");
            assertFalse(guest.paused());
            assertNull(o.source().verifyMatch());
            assertEquals("failed", o.destination().status());
            assertTrue(o.destination().error().contains("truncated"), o.destination().error());
        }
    }

    @Test
    void aConnectionThatBreaksWhileTheGuestIsPausedResumesIt() throws Exception {
        SyntheticGuest.Spec spec = SyntheticGuest.Spec.of(1 << 20, Workload.IDLE);
        long total;
        try (SyntheticGuest guest = SyntheticGuest.start(spec)) {
            Loopback.Outcome clean = Loopback.run(guest, Loopback.codec(), Loopback.cache("lru", 1 << 20),
                    InMemoryTransport.duplex(), FAST, System::nanoTime);
            assertVerified(clean);
            total = clean.source().ram().transferred();
        }
        try (SyntheticGuest guest = SyntheticGuest.start(spec)) {
            AtomicBoolean pausedAtFailure = new AtomicBoolean();
            // The stream's last 49 bytes are the COMPLETE frame, written with the guest paused.
            InMemoryTransport transport = InMemoryTransport.failingAfter(total - 20, () -> pausedAtFailure.set(guest.paused()));

            Loopback.Outcome o = Loopback.run(guest, Loopback.codec(), Loopback.cache("lru", 1 << 20), transport,
                    FAST, System::nanoTime);

            assertEquals("failed", o.source().status(), o.source().toString());
            assertTrue(o.source().error().startsWith("connection reset by the fake peer"), o.source().error());
            assertTrue(pausedAtFailure.get(), "it broke in the last round");
            assertFalse(guest.paused(), "the source runs on where the migration failed");
            assertEquals("failed", o.destination().status());
        }
    }

    @Test
    void aDestinationThatCannotDecodeRefusesAtTheHeader() throws Exception {
        ScriptedGuest guest = new ScriptedGuest(16, m -> { }, List.of());
        Loopback.Setup picky = new Loopback.Setup() {
            @Override
            public PageCodec codec(StreamHeader header) {
                throw new IllegalArgumentException("page size " + header.pageSize() + " is not 65536");
            }
        };
        Loopback.Outcome o = Loopback.run(guest, Loopback.codec(), Loopback.cache("lru", 1 << 20),
                InMemoryTransport.duplex(), FAST, guest.clock::get, picky, Limits.DEFAULT, "xbzrle");

        assertEquals("failed", o.source().status());
        assertEquals("the destination refused the migration: page size 4096 is not 65536", o.source().error());
        assertEquals("refused the migration: page size 4096 is not 65536", o.destination().error());
        assertNull(picky.image, "no image was made");
        assertEquals(0, guest.syncs(), "no page was read");
    }

    @Test
    void aDestinationWithoutTheCodecRefusesNamingWhatItHas() throws Exception {
        ScriptedGuest guest = new ScriptedGuest(16, m -> { }, List.of());
        Loopback.Outcome o = Loopback.run(guest, Loopback.codec(), Loopback.cache("lru", 1 << 20),
                InMemoryTransport.duplex(), FAST, guest.clock::get, new Loopback.Setup(), Limits.DEFAULT, "lz4");

        assertEquals("failed", o.source().status());
        assertEquals("the destination refused the migration: No codec named 'lz4'; available: xbzrle",
                o.source().error());
    }

    @Test
    void withoutXbzrleADestinationLackingTheCodecTakesTheStream() throws Exception {
        ScriptedGuest guest = new ScriptedGuest(16, m -> { }, List.of());
        Loopback.Outcome o = Loopback.run(guest, Loopback.codec(), Loopback.cache("lru", 1 << 20),
                InMemoryTransport.duplex(), Loopback.settings(false, 0, Duration.ofMillis(100), Duration.ofSeconds(30)),
                guest.clock::get, new Loopback.Setup(), Limits.DEFAULT, "lz4");

        assertEquals("completed", o.source().status(), o.source().toString());
        assertEquals(Boolean.TRUE, o.source().verifyMatch(), o.source().toString());
        assertEquals("completed", o.destination().status(), o.destination().toString());
    }

    @Test
    void aDestinationWhoseLimitsTheHeaderExceedsRefusesWithTheReason() throws Exception {
        ScriptedGuest guest = new ScriptedGuest(64, m -> { }, List.of());
        Loopback.Outcome o = Loopback.run(guest, Loopback.codec(), Loopback.cache("lru", 1 << 20),
                InMemoryTransport.duplex(), FAST, guest.clock::get, new Loopback.Setup(),
                new Limits(1 << 20, 16, 32), "xbzrle");

        assertEquals("failed", o.source().status());
        assertNotNull(o.source().error());
        assertTrue(o.source().error().startsWith("the destination refused the migration: "), o.source().error());
        assertTrue(o.source().error().contains("past this destination's limit of 32 pages"), o.source().error());
        assertEquals(0, guest.syncs(), "no page was read");
    }

    @Test
    void aGuestThatOutrunsTheLinkIsCancelledAtTheTimeoutAndResumed() throws Exception {
        SyntheticGuest.Spec spec = SyntheticGuest.Spec.of(1 << 20, Workload.FULL_PAGE).withPagesPerSecond(0);
        try (SyntheticGuest guest = SyntheticGuest.start(spec)) {
            MigrationSettings tight = Loopback.settings(true, 4 << 20, Duration.ofMillis(50), Duration.ofMillis(800));

            Loopback.Outcome o = Loopback.run(guest, Loopback.codec(), Loopback.cache("lru", 4 << 20),
                    InMemoryTransport.duplex(), tight, System::nanoTime);

            assertEquals("cancelled", o.source().status(), o.source().toString());
            assertTrue(o.source().error().startsWith("did not converge within 800 ms"), o.source().error());
            assertTrue(o.source().expectedDowntimeMs() > 50, "expected downtime " + o.source().expectedDowntimeMs());
            assertEquals(o.source().expectedDowntimeMs(), o.source().asMap().get("expected-downtime"));
            assertTrue(o.source().ram().dirtySyncCount() >= 2, "round 1 ended: " + o.source());
            assertFalse(guest.paused());
            assertEquals("cancelled", o.destination().status(), o.destination().toString());
            assertTrue(o.destination().error().startsWith("the source aborted: "), o.destination().error());
            assertTrue(o.source().totalTimeMs() < 3_000, "cancelled within a page or so of the timeout: "
                    + o.source().totalTimeMs());
        }
    }

    @Test
    void aMigrationCancelledInItsFirstRoundReportsAnExpectedDowntime() throws Exception {
        SyntheticGuest.Spec spec = SyntheticGuest.Spec.of(4 << 20, Workload.FULL_PAGE);
        try (SyntheticGuest guest = SyntheticGuest.start(spec)) {
            // 4 MiB at 1 MiB/s: round 1 alone would take 4 s.
            MigrationSettings slow = Loopback.settings(true, 1 << 20, Duration.ofMillis(300), Duration.ofMillis(300));

            Loopback.Outcome o = Loopback.run(guest, Loopback.codec(), Loopback.cache("lru", 4 << 20),
                    InMemoryTransport.duplex(), slow, System::nanoTime);

            assertEquals("cancelled", o.source().status(), o.source().toString());
            assertEquals(1, o.source().ram().dirtySyncCount(), "still in round 1");
            assertTrue(o.source().expectedDowntimeMs() > 300, "the pages left of round 1 take seconds at 1 MiB/s, "
                    + "not " + o.source().expectedDowntimeMs() + " ms");
            assertTrue(o.source().totalTimeMs() < 1_000, "the timeout is honoured within a page or so, not "
                    + o.source().totalTimeMs() + " ms");
            assertFalse(guest.paused());
        }
    }

    @Test
    void aFailedRunStillReportsThePiecesAndNeverThrows() throws Exception {
        PageCache cache = Loopback.cache("lru", 1 << 20);
        io.xbzrle.api.transport.Transport nowhere = mock(io.xbzrle.api.transport.Transport.class);
        when(nowhere.connect(any())).thenThrow(new io.xbzrle.api.transport.TransportException(
                InMemoryTransport.ENDPOINT, "connection refused"));
        ScriptedGuest guest = new ScriptedGuest(16, m -> { }, List.of());
        SourceMigration source = new SourceMigration(guest, Loopback.codec(), cache, nowhere,
                InMemoryTransport.ENDPOINT, FAST, new SourceMigration.Names("xbzrle", "lru", "mem"), guest.clock::get);

        MigrationResult r = source.run();

        assertEquals("failed", r.status());
        assertEquals("mem://test: connection refused", r.error());
        assertEquals("lru", r.cachePolicy());
        assertEquals(0, r.ram().transferred());
        assertEquals("failed", source.status().published().state());
        verify(nowhere, atLeastOnce()).connect(InMemoryTransport.ENDPOINT);
    }
}
