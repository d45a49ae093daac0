package io.xbzrle.migration.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xbzrle.migration.stream.RecordType;
import io.xbzrle.migration.stream.StreamReader;
import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * QEMU's rules (DESIGN §3, QEMU-NOTES §6), observed on a scripted guest whose every write is known:
 * what each round sends, what enters the cache and when, and the counters.
 *
 * <p>The guest: 512 pages, 0..31 zero. Sync 2 (after round 1): 32..231 change a few bytes,
 * 232..331 become zero, 332..431 are rewritten whole. Sync 3: the same three groups change again
 * (a few bytes, a few bytes on the zero pages, whole) and 432..441 become zero. Sync 4: page 32
 * changes a few bytes, 233 becomes zero, 450 (never sent since round 1) changes. The fake clock
 * makes the expected downtime the dirty pages in ms: 400, 410, then 3 (under the 300 ms limit),
 * so rounds 2 and 3 run with XBZRLE and round 4 is the last.
 */
final class QemuRulesTest {
    private static final long PAGES = 512;
    private static final long LAST_GENERATION = 5; // four syncs for four rounds, and the last one's late sync

    private static long seed;
    private static Loopback.Outcome outcome;
    private static RecordingCache cache;
    private static ScriptedGuest guest;
    private static byte[] beforeLastRound;
    private static List<Map<RecordType, Integer>> recordsPerRound;

    @BeforeAll
    static void migrate() throws Exception {
        seed = System.nanoTime();
        System.out.println("QemuRulesTest seed: " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        List<ScriptedGuest.Step> steps = List.of(
                g -> {
                    few(g, 32, 232, random);
                    zero(g, 232, 332);
                    whole(g, 332, 432, random);
                },
                g -> {
                    few(g, 32, 232, random);
                    few(g, 232, 332, random);
                    whole(g, 332, 432, random);
                    zero(g, 432, 442);
                },
                g -> {
                    beforeLastRound = g.memory().clone();
                    few(g, 32, 33, random);
                    zero(g, 233, 234);
                    few(g, 450, 451, random);
                });
        guest = new ScriptedGuest(PAGES, m -> {
            for (int i = 32 * ScriptedGuest.PAGE; i < m.length; i++) {
                m[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 0);
            }
            for (int p = 32; p < PAGES; p++) {
                m[p * ScriptedGuest.PAGE + 7] = 1; // no page beyond 31 starts zero
            }
        }, steps);
        cache = new RecordingCache(Loopback.cache("lru", 4 << 20));
        InMemoryTransport transport = InMemoryTransport.duplex();
        outcome = Loopback.run(guest, Loopback.codec(), cache, transport,
                Loopback.settings(true, 0, Duration.ofMillis(300), Duration.ZERO), guest.clock::get);
        recordsPerRound = records(transport.streamBytes());
    }

    private static void few(ScriptedGuest g, int from, int to, SplittableRandom random) {
        for (int p = from; p < to; p++) {
            byte[] page = g.page(p);
            for (int k = 0; k < 4; k++) {
                page[random.nextInt(ScriptedGuest.PAGE)] ^= (byte) (1 + random.nextInt(255));
            }
            g.write(p, page);
        }
    }

    private static void zero(ScriptedGuest g, int from, int to) {
        for (int p = from; p < to; p++) {
            g.write(p, new byte[ScriptedGuest.PAGE]);
        }
    }

    private static void whole(ScriptedGuest g, int from, int to, SplittableRandom random) {
        for (int p = from; p < to; p++) {
            byte[] page = new byte[ScriptedGuest.PAGE];
            random.nextBytes(page);
            g.write(p, page);
        }
    }

    /** The records of each round, by type, read back from the stream's bytes. */
    private static List<Map<RecordType, Integer>> records(byte[] stream) throws Exception {
        StreamReader reader = StreamReader.open(Channels.newChannel(new ByteArrayInputStream(stream)));
        List<Map<RecordType, Integer>> rounds = new ArrayList<>();
        Map<RecordType, Integer> round = new EnumMap<>(RecordType.class);
        for (RecordType t = reader.next(); t != RecordType.COMPLETE; t = reader.next()) {
            if (t == RecordType.ROUND_END) {
                rounds.add(round);
                round = new EnumMap<>(RecordType.class);
            } else {
                round.merge(t, 1, Integer::sum);
            }
        }
        return rounds;
    }

    private static String why() {
        return "seed " + seed + "; source " + outcome.source() + "; records " + recordsPerRound;
    }

    @Test
    void migrationCompletesVerifiedInFourRounds() {
        assertEquals("completed", outcome.source().status(), why());
        assertEquals(Boolean.TRUE, outcome.source().verifyMatch(), why());
        assertEquals("completed", outcome.destination().status(), why());
        assertEquals(outcome.source().digest(), outcome.destination().digest());
        assertEquals(4, recordsPerRound.size(), why());
        assertEquals(List.of(false, false, false, false, true), guest.pausedAtSync(),
                "the last round's late sync, alone, runs with the guest paused");
        assertTrue(guest.paused(), "a completed migration leaves the source paused (the guest runs at the destination)");
    }

    @Test
    void roundOneSendsEveryPageAsZeroOrRawAndFillsNoCache() {
        assertEquals(Map.of(RecordType.ZERO, 32, RecordType.RAW, 480), recordsPerRound.get(0), why());
        assertTrue(cache.calls.stream().noneMatch(c -> c.generation() == 1), "round 1 touched the cache: " + why());
        // Round 2 (XBZRLE started, empty cache): misses go RAW, nothing is encoded.
        assertEquals(Map.of(RecordType.ZERO, 100, RecordType.RAW, 300), recordsPerRound.get(1), why());
    }

    @Test
    void laterRoundsEncodeAgainstTheCacheAndOverflowGoesRaw() {
        assertEquals(Map.of(RecordType.XBZRLE, 300, RecordType.RAW, 100, RecordType.ZERO, 10),
                recordsPerRound.get(2), why());
        assertEquals(Map.of(RecordType.XBZRLE, 1, RecordType.ZERO, 1, RecordType.RAW, 1), recordsPerRound.get(3), why());
        assertEquals(301, outcome.destination().cache().pages(), "XBZRLE records the destination applied");
    }

    @Test
    void zeroPagesAreSentAsZeroAndCachedAsZeroOnceXbzrleStarted() {
        List<RecordingCache.Call> round2 = cache.calls("put", 2);
        assertEquals(LongStream.range(232, 332).boxed().toList(),
                round2.stream().filter(RecordingCache.Call::zero).map(RecordingCache.Call::index).toList());
        List<RecordingCache.Call> round3 = cache.calls("put", 3);
        assertEquals(LongStream.range(432, 442).boxed().toList(),
                round3.stream().filter(RecordingCache.Call::zero).map(RecordingCache.Call::index).toList());
        assertTrue(cache.calls.stream().filter(c -> c.op().equals("lookup"))
                .noneMatch(c -> (c.index() >= 432 && c.index() < 442 && c.generation() == 3)),
                "a zero page is never looked up or encoded");
    }

    @Test
    void theLastRoundLeavesTheCacheAlone() {
        assertEquals(LAST_GENERATION, outcome.source().ram().dirtySyncCount(), why());
        assertEquals(List.of(), cache.calls("put", LAST_GENERATION), "no insert or update in the last round");
        assertEquals(List.of(32L, 450L), cache.calls("lookup", LAST_GENERATION).stream()
                .map(RecordingCache.Call::index).toList(), "the last round looks up its non-zero pages");
        assertEquals(410, cache.calls("put", 3).size());
        assertEquals(400, cache.calls("put", 2).size());
        assertTrue(cache.calls.stream().allMatch(c -> !c.op().equals("put") || c.result()), "LRU stores every put");
    }

    @Test
    void theCacheHoldsWhatTheDestinationHolds() {
        byte[] cached = new byte[ScriptedGuest.PAGE];
        byte[] held = new byte[ScriptedGuest.PAGE];
        int pages = 0;
        for (long i = 0; i < PAGES; i++) {
            if (!cache.delegate().get(i, LAST_GENERATION + 1, cached, 0)) {
                assertFalse(i >= 32 && i < 442, "page " + i + " should be cached");
                continue;
            }
            pages++;
            outcome.image().readPage(i, held, 0);
            if (i == 32 || i == 233) { // sent in the last round, which leaves the cache as it was
                assertArrayEquals(Arrays.copyOfRange(beforeLastRound, (int) i * ScriptedGuest.PAGE,
                        (int) (i + 1) * ScriptedGuest.PAGE), cached, "page " + i + "; seed " + seed);
                assertFalse(Arrays.equals(cached, held), "page " + i);
            } else {
                assertArrayEquals(held, cached, "page " + i + "; seed " + seed);
            }
        }
        assertEquals(410, pages);
        assertEquals(0, cache.stats().refusals());
    }

    @Test
    void countersAreConsistentWithWhatWasSent() {
        MigrationResult r = outcome.source();
        assertEquals(32 + 100 + 10 + 1, r.ram().duplicate(), why());
        assertEquals(480 + 300 + 100 + 1, r.ram().normal(), why());
        assertEquals(r.ram().normal() * ScriptedGuest.PAGE, r.ram().normalBytes());
        assertEquals(400 + 1, r.cache().pages(), "cache hits: " + why());
        assertEquals(300 + 1, r.cache().cacheMiss(), why());
        assertEquals(100, r.cache().overflow(), why());
        assertTrue(r.cache().bytes() >= 100L * ScriptedGuest.PAGE, "overflows count a page each: " + why());
        assertEquals(0, r.ram().remaining());
        assertEquals(PAGES * ScriptedGuest.PAGE, r.ram().total());
        assertEquals(transferredTotal(), r.ram().transferred());
        int sent = recordsPerRound.stream().mapToInt(m -> m.values().stream().mapToInt(Integer::intValue).sum()).sum();
        assertEquals(sent, r.ram().duplicate() + r.ram().normal() + outcome.destination().cache().pages());
        assertEquals(r.ram().duplicate(), outcome.destination().ram().duplicate());
        assertEquals(r.ram().normal(), outcome.destination().ram().normal());
        assertEquals(4, outcome.destination().ram().dirtySyncCount(), "rounds the destination saw");
        assertEquals(400 + 410, cache.stats().inserts(), "inserts and updates, none in rounds 1 and 4");
        assertEquals(List.of(1L, 2L, 3L, 4L), r.rounds().stream().map(MigrationResult.Round::round).toList());
        assertEquals(0, r.rounds().get(0).xbzrlePages(), "round 1 uses no cache");
        assertEquals(400 + 1, r.rounds().stream().mapToLong(MigrationResult.Round::xbzrlePages).sum());
        assertEquals(sent, r.rounds().stream().mapToLong(MigrationResult.Round::pages).sum(), "every page a round "
                + "went through was sent, or skipped as unchanged");
        assertTrue(r.rounds().stream().allMatch(x -> x.bytes() > 0 && x.cpuTimeMs() >= 0), r.rounds().toString());
    }

    private static long transferredTotal() {
        return outcome.destination().ram().transferred();
    }
}
