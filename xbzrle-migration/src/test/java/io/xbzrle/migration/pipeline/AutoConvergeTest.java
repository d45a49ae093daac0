package io.xbzrle.migration.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xbzrle.migration.memory.DirtyBitmap;
import io.xbzrle.migration.memory.GuestMemory;
import io.xbzrle.migration.memory.SyntheticGuest;
import io.xbzrle.migration.memory.Workload;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * QEMU's auto-converge: a guest that dirties memory faster than the link sends it is throttled,
 * first by cpu-throttle-initial percent, then cpu-throttle-increment more each time it still
 * outruns the link; never without the setting.
 */
final class AutoConvergeTest {

    /** A guest that keeps every throttle it is asked for. */
    private static final class Recording implements GuestMemory {
        final GuestMemory guest;
        final List<Double> throttles = new CopyOnWriteArrayList<>();

        Recording(GuestMemory guest) {
            this.guest = guest;
        }

        @Override
        public String name() {
            return guest.name();
        }

        @Override
        public int pageSize() {
            return guest.pageSize();
        }

        @Override
        public long pageCount() {
            return guest.pageCount();
        }

        @Override
        public void readPage(long index, byte[] dst, int off) {
            guest.readPage(index, dst, off);
        }

        @Override
        public void syncDirtyLog(DirtyBitmap into) {
            guest.syncDirtyLog(into);
        }

        @Override
        public void pause() {
            guest.pause();
        }

        @Override
        public void resume() {
            guest.resume();
        }

        @Override
        public boolean paused() {
            return guest.paused();
        }

        @Override
        public void throttle(double fraction) {
            throttles.add(fraction);
            guest.throttle(fraction);
        }

        @Override
        public void close() {
            guest.close();
        }
    }

    private static List<Double> throttlesOf(boolean autoConverge, Duration timeout) throws Exception {
        SyntheticGuest.Spec spec = SyntheticGuest.Spec.of(1 << 20, Workload.FULL_PAGE).withPagesPerSecond(0);
        try (Recording guest = new Recording(SyntheticGuest.start(spec))) {
            MigrationSettings settings = new MigrationSettings(false, 2 << 20, Duration.ofMillis(20),
                    timeout, autoConverge, 20, 10, 25);
            Loopback.Outcome o = Loopback.run(guest, Loopback.codec(), Loopback.cache("lru", 1 << 20),
                    InMemoryTransport.duplex(), settings, System::nanoTime);
            assertTrue(o.source().status().equals("cancelled") || o.source().succeeded(), o.source().toString());
            if (!o.source().succeeded()) {
                assertFalse(guest.paused(), "a cancelled migration resumes the guest");
            }
            return guest.throttles;
        }
    }

    /**
     * As QEMU: a period of over a second dirtying more than half of what was sent is a strike, the
     * second strike throttles (so at about 3 s and 6 s of a guest rewriting every page, its rounds
     * half a second long), and the throttle is lifted when the migration ends.
     */
    @Test
    void aGuestThatOutrunsTheLinkIsThrottledStepByStepAndReleasedAtTheEnd() throws Exception {
        List<Double> t = throttlesOf(true, Duration.ofMillis(8500));
        assertTrue(t.size() >= 3, "throttled twice in 8.5 s of a guest rewriting every page, then released: " + t);
        assertEquals(0.0, t.get(t.size() - 1), "the migration's end lifts the throttle: " + t);
        List<Double> steps = t.subList(0, t.size() - 1);
        assertEquals(0.20, steps.get(0), 1e-9, "first cpu-throttle-initial");
        for (int k = 1; k < steps.size(); k++) {
            assertEquals(Math.min(0.25, steps.get(k - 1) + 0.10), steps.get(k), 1e-9, "then +increment, up to max: " + t);
        }
        assertTrue(steps.size() <= 4, "a throttle per two periods of over a second, no faster: " + t);
    }

    @Test
    void withoutAutoConvergeTheGuestIsNeverThrottled() throws Exception {
        assertEquals(List.of(), throttlesOf(false, Duration.ofMillis(2500)));
    }
}
