package io.xbzrle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo}, and what {@code demo}, {@code migrate} and {@code receive} do with bad usage and
 * {@code -h}, through the real launcher (DESIGN §6, §7). Small guests, so that each test takes a
 * few seconds; {@link MigrationBetweenProcessesIT} has the two-process migrations.
 */
final class MigrationCommandsIT {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void demoPrintsOneJsonObjectWithEveryKeyOfTheContract() throws Exception {
        Launcher.Result r = Launcher.run("demo", "--ram", "32m", "--workload", "sparse-random", "--timeout", "30s",
                "--json");
        assertEquals(0, r.exit(), r.err());
        ResultJson j = ResultJson.of(r.out()).assertVerified();
        assertEquals(32 * MIB, j.ram("total"), j.toString());
        assertTrue(j.ram("duplicate") + j.ram("normal") >= 32 * MIB / 4096,
                "the first round sends every page as ZERO or RAW: " + j);
        assertTrue(j.ram("transferred") >= j.ram("normal-bytes"), j.toString());
        assertTrue(j.ram("dirty-sync-count") >= 2, j.toString());
        assertEquals(64 * MIB, j.cache("cache-size"), "QEMU's default xbzrle-cache-size: " + j);
        assertEquals("xbzrle", j.codec());
        assertEquals("aging", j.cachePolicy(), "QEMU's policy is the default");
        assertEquals("tcp", j.transport(), "loopback tcp is the demo's default");
    }

    /**
     * A guest bigger than the destination's memory budget is refused at the stream's header, before
     * the destination allocates it; the source says why.
     */
    @Test
    void aGuestTooBigForTheDestinationsMemoryIsRefusedAtTheHeader() throws Exception {
        Path conf = dir.resolve("small.conf");
        Files.writeString(conf, "xbzrle.migration.destination-memory = 8m\n");
        Launcher.Result r = Launcher.run("demo", "--ram", "16m", "--workload", "idle", "--timeout", "30s", "--json",
                "--config", conf.toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        ResultJson j = ResultJson.of(r.out());
        assertEquals("failed", j.status(), j.toString());
        assertTrue(j.error().contains("does not fit in this destination's memory for migrations: 8m"), j.error());
        assertTrue(j.error().contains("xbzrle.migration.destination-memory"), j.error());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    @Test
    void demoThroughAFileCompletesAndVerifies() throws Exception {
        Launcher.Result r = Launcher.run("demo", "--ram", "16m", "--workload", "sparse-random", "--transport", "file",
                "--timeout", "30s", "--json");
        assertEquals(0, r.exit(), r.err());
        ResultJson j = ResultJson.of(r.out()).assertVerified();
        assertEquals("file", j.transport());
        assertEquals(16 * MIB, j.ram("total"));
    }

    /**
     * The seed's claim, as the README's first command: QEMU's load generator over a 32 MiB/s link
     * converges with XBZRLE; without it every round resends the 16 MiB it rewrites (half a second
     * on that link, past the 300 ms limit), so it never does and the timeout cancels it.
     */
    @Test
    void theSeedScenarioCompletesWithXbzrleAndNeverConvergesWithout() throws Exception {
        String[] demo = {"demo", "--ram", "256m", "--workload", "seed-counter", "--max-bandwidth", "32m",
            "--downtime-limit", "300ms", "--json"};
        Launcher.Result on = Launcher.run(concat(demo, "--timeout", "60s"));
        assertEquals(0, on.exit(), on.out() + on.err());
        ResultJson j = ResultJson.of(on.out()).assertVerified();
        assertTrue(j.cache("pages") >= 4096, "the 4096 pages it rewrites went out as deltas: " + j);
        assertTrue(j.number("downtime") <= 300, "within the limit: " + j);

        Launcher.Result off = Launcher.run(concat(demo, "--no-xbzrle", "--timeout", "12s"));
        assertEquals(1, off.exit(), off.out() + off.err());
        ResultJson k = ResultJson.of(off.out());
        assertEquals("cancelled", k.status(), k.toString());
        assertEquals(0, k.cache("pages"), k.toString());
        assertTrue(k.number("expected-downtime") > 300, "still past the limit when cancelled: " + k);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void xbzrleCarriesTheSeedCountersPagesAndNoXbzrleSendsNone() throws Exception {
        // The seed's claim in small: every page of the guest keeps changing by one byte per KiB; under a
        // bandwidth cap, once the pages are cached they go out as small deltas.
        Launcher.Result on = Launcher.run("demo", "--ram", "16m", "--workload", "seed-counter", "--max-bandwidth",
                "16m", "--timeout", "20s", "--json");
        assertEquals(0, on.exit(), on.err());
        ResultJson j = ResultJson.of(on.out()).assertVerified();
        assertTrue(j.cache("pages") > 0, "XBZRLE pages: " + j);
        assertTrue(j.cache("bytes") > 0 && j.cache("bytes") < j.cache("pages") * 4096 / 4, "small deltas: " + j);
        // QEMU's rates are those of the last period of over a second (MigrationStatusTest pins
        // them down); which rounds that period holds here depends on timing.
        double encoding = j.cacheRate("encoding-rate");
        assertTrue(encoding == 0 || encoding > 4, "0 for a period without hits, else small deltas: " + j);
        double miss = j.cacheRate("cache-miss-rate");
        assertTrue(miss >= 0 && miss <= 1, "misses per page sent: " + j);
        assertTrue(j.cache("cache-miss") > 0, "the round that filled the cache missed: " + j);

        Launcher.Result off = Launcher.run("demo", "--ram", "16m", "--workload", "hot-cold", "--no-xbzrle",
                "--timeout", "20s", "--json");
        assertEquals(0, off.exit(), off.err());
        ResultJson k = ResultJson.of(off.out()).assertVerified();
        assertEquals(0, k.cache("pages"), k.toString());
        assertEquals(0, k.cache("bytes"), k.toString());
        assertEquals(0, k.cache("cache-miss"), "no cache lookups without XBZRLE: " + k);
    }

    @Test
    void theCachePolicyComesFromAFlagAFileOrJavaOpts() throws Exception {
        Path conf = Files.writeString(dir.resolve("app.conf"), "xbzrle.cache.policy = lru\n");
        Path launcher = Launcher.path();
        String[] demo = {"demo", "--ram", "16m", "--workload", "idle", "--timeout", "20s", "--json"};
        record Case(String what, Map<String, String> env, List<String> extra, String policy) {
        }
        List<Case> cases = List.of(
                new Case("--cache-policy lru", Map.of(), List.of("--cache-policy", "lru"), "lru"),
                new Case("--config with lru", Map.of(), List.of("--config", conf.toString()), "lru"),
                new Case("JAVA_OPTS -D lru", Map.of("JAVA_OPTS", "-Dxbzrle.cache.policy=lru"), List.of(), "lru"),
                new Case("-D beats --config", Map.of("JAVA_OPTS", "-Dxbzrle.cache.policy=aging"),
                        List.of("--config", conf.toString()), "aging"),
                new Case("a flag beats -D", Map.of("JAVA_OPTS", "-Dxbzrle.cache.policy=lru"),
                        List.of("--cache-policy", "aging"), "aging"));
        for (Case c : cases) {
            String[] args = concat(demo, c.extra());
            Launcher.Result r = Launcher.run(launcher, c.env(), args);
            assertEquals(0, r.exit(), c.what() + ": " + r.err());
            ResultJson j = ResultJson.of(r.out()).assertVerified();
            assertEquals(c.policy(), j.cachePolicy(), c.what() + ": " + j);
        }
    }

    @Test
    void withoutJsonASummaryLikeInfoMigrate() throws Exception {
        Launcher.Result r = Launcher.run("demo", "--ram", "16m", "--workload", "hot-cold", "--timeout", "20s");
        assertEquals(0, r.exit(), r.err());
        String out = r.out();
        assertFalse(out.strip().startsWith("{"), out);
        assertTrue(out.startsWith("Migration status: completed\n"), out);
        for (String line : List.of("total ram: 16384 kbytes", "remaining ram: 0 kbytes", "dirty sync count: ",
                "xbzrle pages: ", "cache size: 67108864 bytes (aging)", "verified: yes (sha256 ")) {
            assertTrue(out.contains(line), "'" + line + "' in: " + out);
        }
        assertFalse(out.contains("null"), out);
        assertFalse(r.err().contains("xbzrle:"), "no error: " + r.err());
    }

    @Test
    void aMigrationThatCannotConvergeIsCancelledAtItsTimeout() throws Exception {
        long t0 = System.nanoTime();
        Launcher.Result r = Launcher.run("demo", "--ram", "64m", "--workload", "full-page", "--max-bandwidth", "1m",
                "--timeout", "3s", "--json");
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertEquals(1, r.exit(), r.out() + r.err());
        ResultJson j = ResultJson.of(r.out());
        assertEquals("cancelled", j.status(), j.toString());
        assertTrue(j.error().contains("did not converge"), j.error());
        assertNotEquals(Boolean.TRUE, j.match(), j.toString());
        assertTrue(seconds < 15, "cancelled at its 3 s timeout, not " + seconds + " s");
        assertEquals(1, r.err().strip().lines().count(), "the reason on stderr too: " + r.err());
        assertTrue(r.err().contains("did not converge"), r.err());
    }

    @Test
    void badUsageIsOneLineAndExitTwo() throws Exception {
        Path stream = dir.resolve("never.xbz");
        String to = "file:" + stream;
        Object[][] cases = {
            {List.of("demo", "--ram", "16m", "--workload", "nope"), "No workload named 'nope'"},
            {List.of("demo", "--ram", "16m", "--cache-policy", "agin"),
                "No cache policy named 'agin'; available: aging, lru"},
            {List.of("demo", "--ram", "16m", "--cache-size", "100m"), "power-of-two"},
            {List.of("demo", "--ram", "16m", "--downtime-limit", "lots"), "downtime-limit"},
            {List.of("demo", "--ram", "16m", "--transport", "udp"), "--transport"},
            {List.of("migrate", "--to", "ftp://x", "--workload", "idle", "--ram", "16m"), "ftp"},
            {List.of("migrate", "--to", "tcp://127.0.0.1", "--workload", "idle", "--ram", "16m"), "tcp://127.0.0.1"},
            {List.of("migrate", "--to", to), "--ram-file"},
            {List.of("migrate", "--to", to, "--workload", "nope", "--ram", "16m"), "nope"},
            {List.of("migrate", "--to", to, "--ram-file", dir.resolve("missing.ram").toString()), "missing.ram"},
            {List.of("migrate", "--to", to, "--workload", "idle", "--ram", "16m", "--cache-policy", "agin"),
                "'agin'"},
            {List.of("receive", "--from", "file:" + dir.resolve("missing.xbz")), "missing.xbz"},
            {List.of("receive", "--from", "tcp://127.0.0.1:9"), "--listen"},
            {List.of("receive", "--listen", "file:" + dir.resolve("missing.xbz")), "--from"},
            {List.of("receive", "--listen", "tcp://127.0.0.1:99999"), "99999"},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            List<String> args = (List<String>) c[0];
            Launcher.Result r = Launcher.run(args.toArray(String[]::new));
            String what = String.join(" ", args);
            assertEquals(2, r.exit(), what + ": " + r.out() + r.err());
            assertEquals("", r.out(), what + ": nothing on stdout");
            assertEquals(1, r.err().strip().lines().count(), what + ": one line: " + r.err());
            assertTrue(r.err().contains((String) c[1]), what + ": names '" + c[1] + "': " + r.err());
            assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), what + ": stack trace");
            assertFalse(Files.exists(stream), what + ": left a stream file");
        }
        Launcher.Result size = Launcher.run("demo", "--ram", "16m", "--cache-size", "100m");
        assertTrue(size.err().contains("128m"), "suggests a valid size: " + size.err());
    }

    @Test
    void helpNamesEveryFlag() throws Exception {
        List<String> tuning = List.of("--no-xbzrle", "--cache-policy", "--cache-size", "--max-bandwidth",
                "--downtime-limit", "--timeout");
        List<String> common = List.of("--config", "--verbose", "--help");
        Map<String, List<String>> flags = Map.of(
                "demo", List.of("--ram", "--workload", "--transport", "--json"),
                "migrate", List.of("--to", "--ram-file", "--workload", "--ram", "--json"),
                "receive", List.of("--listen", "--from", "--ram-file", "--once", "--json"));
        for (Map.Entry<String, List<String>> e : flags.entrySet()) {
            Launcher.Result h = Launcher.run(e.getKey(), "-h");
            assertEquals(0, h.exit(), e.getKey() + ": " + h.err());
            List<String> want = new java.util.ArrayList<>(e.getValue());
            want.addAll(common);
            if (!e.getKey().equals("receive")) {
                want.addAll(tuning);
            }
            for (String f : want) {
                assertTrue(java.util.regex.Pattern.compile("(?<![\\w-])" + f + "(?![\\w-])").matcher(h.out()).find(),
                        e.getKey() + " -h names " + f + ": " + h.out());
            }
        }
    }

    private static String[] concat(String[] a, List<String> b) {
        String[] all = Arrays.copyOf(a, a.length + b.size());
        for (int i = 0; i < b.size(); i++) {
            all[a.length + i] = b.get(i);
        }
        return all;
    }
}
