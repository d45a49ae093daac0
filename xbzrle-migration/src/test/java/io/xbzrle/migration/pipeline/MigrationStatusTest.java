package io.xbzrle.migration.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xbzrle.api.cache.PageCache;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/** QEMU's periods (QEMU-NOTES §6): cache-miss-rate, encoding-rate, and what auto-converge weighs. */
final class MigrationStatusTest {
    private static final long MS = 1_000_000L;
    private final MigrationStatus status = new MigrationStatus(1 << 20, 4096, Mockito.mock(PageCache.class));

    private void hits(int pages, long bytesEach) {
        for (int i = 0; i < pages; i++) {
            status.cacheHit();
            status.xbzrleBytes(bytesEach);
        }
    }

    private void misses(int pages) {
        for (int i = 0; i < pages; i++) {
            status.cacheMiss();
            status.normalPage(4096);
        }
    }

    @Test
    void ratesAreThoseOfThePeriodSinceTheLastComputation() {
        status.synced(0, 0); // the first sync opens the first period
        for (int i = 0; i < 100; i++) {
            status.normalPage(4096); // the first round: no cache
        }
        status.synced(0, 500 * MS);
        assertEquals(0, status.snapshot().cacheMissRate(), "not a second yet: nothing computed");
        misses(50);
        hits(50, 415);
        status.synced(0, 1001 * MS);
        // 200 pages sent in the period, 50 missed; 50 hits of 4096 bytes sent in 50 * 415.
        assertEquals(50.0 / 200, status.snapshot().cacheMissRate(), 1e-12);
        assertEquals(4096.0 / 415, status.snapshot().encodingRate(), 1e-12);

        misses(10);
        hits(30, 100);
        status.synced(0, 1500 * MS);
        assertEquals(50.0 / 200, status.snapshot().cacheMissRate(), 1e-12, "the period is not over");
        hits(20, 0); // unchanged pages: hits, but no page sent
        status.synced(0, 2002 * MS);
        assertEquals(10.0 / 40, status.snapshot().cacheMissRate(), 1e-12);
        assertEquals(50.0 * 4096 / 3000, status.snapshot().encodingRate(), 1e-12, "skipped pages: 0 bytes");
    }

    @Test
    void aPeriodEndsAtTheFirstSyncPastASecondWithWhatWasDirtiedAndSentInIt() {
        assertEquals(null, status.synced(1 << 20, 0), "the first sync (every page) opens the first period");
        status.roundDone(1000);
        assertEquals(null, status.synced(300, 600 * MS));
        status.roundDone(1500);
        assertEquals(new MigrationStatus.Period(300 + 200, 1500), status.synced(200, 1100 * MS));
        status.roundDone(1800);
        assertEquals(null, status.synced(50, 2000 * MS), "the next period began at 1100 ms");
        assertEquals(new MigrationStatus.Period(50 + 70, 300), status.synced(70, 2101 * MS + 1));
    }

    @Test
    void aPeriodWithoutHitsHasEncodingRateZeroAndOneWithoutPagesChangesNothing() {
        status.synced(0, 0);
        misses(8);
        status.synced(0, 1001 * MS);
        assertEquals(1.0, status.snapshot().cacheMissRate());
        assertEquals(0.0, status.snapshot().encodingRate(), "no hits in the period");
        status.synced(0, 2500 * MS); // nothing sent since
        assertEquals(1.0, status.snapshot().cacheMissRate(), "kept from the period before");
        status.overflow(4096);
        status.cacheHit();
        status.normalPage(4096); // an overflowed hit goes out whole
        status.synced(0, 2600 * MS);
        assertEquals(1.0, status.snapshot().cacheMissRate(), "within a second of the last computation");
        status.synced(0, 3501 * MS);
        assertEquals(0.0, status.snapshot().cacheMissRate());
        assertEquals(1.0, status.snapshot().encodingRate(), 1e-12, "an overflow counts a whole page");
    }
}
