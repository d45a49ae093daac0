package io.xbzrle.migration.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.ProvisionException;
import com.google.inject.Guice;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.xbzrle.api.transport.Connection;
import io.xbzrle.api.transport.Listener;
import io.xbzrle.api.transport.Transport;
import io.xbzrle.migration.config.SettingsLoader;
import io.xbzrle.migration.memory.FileImage;
import io.xbzrle.migration.memory.MemoryDigest;
import io.xbzrle.migration.memory.SyntheticGuest;
import io.xbzrle.migration.memory.Workload;
import io.xbzrle.migration.plugins.PluginException;
import io.xbzrle.migration.plugins.PluginRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole migrations in this process through {@link Migrations} as Guice builds it from configuration,
 * with the built-in codec, caches and transports: tcp over loopback and file, every workload.
 */
final class MigrationEndToEndTest {
    private static final long RAM = 4 << 20;
    private static final PluginRegistry REGISTRY = PluginRegistry.builtIn();
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "test-destination");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    static Migrations migrations(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(Map.of("xbzrle.cache.size", "4m",
                "xbzrle.migration.timeout", "20s", "xbzrle.transport.file.fsync", false));
        all.putAll(settings);
        Config config = ConfigFactory.parseMap(all)
                .withFallback(new SettingsLoader(REGISTRY.pluginLoaders()).reference()).resolve();
        return Guice.createInjector(new MigrationModule(config, REGISTRY)).getInstance(Migrations.class);
    }

    static Stream<Arguments> workloadsAndPolicies() {
        return Stream.of(Workload.values())
                .flatMap(w -> Stream.of("aging", "lru").map(p -> Arguments.of(w, p)));
    }

    static Stream<Arguments> workloadsWithAndWithoutXbzrle() {
        return Stream.of(Workload.values())
                .flatMap(w -> Stream.of(true, false).map(x -> Arguments.of(w, x)));
    }

    private static SyntheticGuest guest(Workload workload) {
        return SyntheticGuest.start(SyntheticGuest.Spec.of(RAM, workload));
    }

    private static void assertVerified(MigrationResult sent, MigrationResult got) {
        assertEquals("completed", sent.status(), sent.toString());
        assertEquals("completed", got.status(), got.toString());
        assertEquals(sent.digest(), got.digest());
        assertEquals(RAM, sent.ram().total());
        assertEquals(sent.ram().transferred(), got.ram().transferred(), "every byte sent was read");
        assertEquals(sent.ram().duplicate(), got.ram().duplicate());
        assertEquals(sent.ram().normal(), got.ram().normal());
        assertTrue(sent.ram().normal() + sent.ram().duplicate() >= RAM / 4096, "round 1 sends every page");
        assertEquals("xbzrle", sent.codec());
        assertNull(sent.error());
    }

    @ParameterizedTest(name = "{0}, {1}, tcp")
    @MethodSource("workloadsAndPolicies")
    void overTcpEveryWorkloadWithEitherCachePolicyVerifies(Workload workload, String policy) throws Exception {
        Migrations migrations = migrations(Map.of("xbzrle.cache.policy", policy));
        Transport tcp = migrations.transport(URI.create("tcp://127.0.0.1:0"));
        try (SyntheticGuest guest = guest(workload); Listener listener = tcp.listen(URI.create("tcp://127.0.0.1:0"))) {
            Future<MigrationResult> received = pool.submit(() -> {
                Connection c = listener.accept();
                return migrations.destination(c, Optional.empty()).run();
            });
            MigrationResult sent = migrations.source(guest, listener.address()).run();
            MigrationResult got = received.get(30, TimeUnit.SECONDS);

            assertVerified(sent, got);
            assertEquals(Boolean.TRUE, sent.verifyMatch());
            assertEquals(Boolean.TRUE, got.verifyMatch());
            assertTrue(sent.succeeded());
            assertEquals(policy, sent.cachePolicy());
            assertEquals("tcp", sent.transport());
            assertEquals(4 << 20, sent.cache().cacheSize());
            assertEquals(MemoryDigest.sha256Hex(guest), sent.digest(), "the paused guest is what was verified");
        }
    }

    @ParameterizedTest(name = "{0}, xbzrle {1}, file")
    @MethodSource("workloadsWithAndWithoutXbzrle")
    void throughAFileTheReplayVerifiesAgainstTheDigestInIt(Workload workload, boolean xbzrle, @TempDir Path dir)
            throws Exception {
        Migrations migrations = migrations(Map.of("xbzrle.migration.xbzrle", xbzrle));
        URI uri = dir.resolve("migration.xbz").toUri();
        MigrationResult sent;
        try (SyntheticGuest guest = guest(workload)) {
            sent = migrations.source(guest, uri).run();
        }
        assertEquals("completed", sent.status(), sent.toString());
        assertNull(sent.verifyMatch(), "no return path: the reader verifies");
        if (!xbzrle) {
            assertEquals(0, sent.cache().pages(), "no cache lookups without XBZRLE");
            assertEquals(0, sent.cache().cacheMiss());
        }
        Path ram = dir.resolve("ram.img");
        MigrationResult got;
        try (Listener listener = migrations.transport(uri).listen(uri)) {
            got = migrations.destination(listener.accept(), Optional.of(ram)).run();
        }
        assertVerified(sent, got);
        assertEquals(Boolean.TRUE, got.verifyMatch());
        assertEquals("file", got.transport());
        if (!xbzrle) {
            assertEquals(0, got.cache().pages(), "no XBZRLE record in the file");
        }
        assertEquals(RAM, Files.size(ram));
        try (FileImage image = FileImage.open(ram, 4096, RAM / 4096)) {
            assertEquals(sent.digest(), MemoryDigest.sha256Hex(image), "the RAM file holds the memory");
        }
    }

    @Test
    void withoutXbzrleOverTcpNoPageIsEncoded() throws Exception {
        Migrations migrations = migrations(Map.of("xbzrle.migration.xbzrle", "off", "xbzrle.cache.policy", "lru"));
        Transport tcp = migrations.transport(URI.create("tcp://127.0.0.1:0"));
        try (SyntheticGuest guest = guest(Workload.SEED_COUNTER);
             Listener listener = tcp.listen(URI.create("tcp://127.0.0.1:0"))) {
            Future<MigrationResult> received = pool.submit(() ->
                    migrations.destination(listener.accept(), Optional.empty()).run());
            MigrationResult sent = migrations.source(guest, listener.address()).run();
            MigrationResult got = received.get(30, TimeUnit.SECONDS);
            assertVerified(sent, got);
            assertEquals(0, sent.cache().pages());
            assertEquals(0, sent.cache().cacheMiss());
            assertEquals(0, got.cache().pages());
        }
    }

    @Test
    void guiceBuildsThePipelineFromTheConfiguration() {
        Migrations m = migrations(Map.of("xbzrle.cache.policy", "lru", "xbzrle.migration.max-bandwidth", "32m",
                "xbzrle.migration.downtime-limit", "150ms", "xbzrle.guest.workload", "hot-cold",
                "xbzrle.migration.stream-threads", "on"));
        assertEquals(new MigrationSettings(true, 32L << 20, Duration.ofMillis(150), Duration.ofSeconds(20), false,
                20, 10, 99, true), m.settings());
        assertEquals("lru", m.core().cachePolicy());
        assertEquals(4 << 20, m.core().cacheSize());
        assertEquals("hot-cold", m.guest().workload());
        try (SyntheticGuest guest = guest(Workload.IDLE)) {
            SourceMigration a = m.source(guest, URI.create("tcp://127.0.0.1:1"));
            SourceMigration b = m.source(guest, URI.create("tcp://127.0.0.1:1"));
            assertEquals(4 << 20, a.status().cacheSize());
            a.status().cacheSize(2 << 20);
            assertEquals(4 << 20, b.status().cacheSize(), "each migration has a cache of its own");
        }
    }

    @Test
    void anUnknownCachePolicyFailsWhenThePipelineIsBuilt() {
        ProvisionException e = assertThrows(ProvisionException.class,
                () -> migrations(Map.of("xbzrle.cache.policy", "agin")));
        assertTrue(e.getCause() instanceof PluginException, String.valueOf(e.getCause()));
        assertEquals("No cache policy named 'agin'; available: aging, lru", e.getCause().getMessage());
    }

    @Test
    void anUnknownTransportFailsNamingWhatThereIs() {
        Migrations m = migrations(Map.of());
        PluginException e = assertThrows(PluginException.class, () -> m.transport(URI.create("ftp://host/x")));
        assertEquals("No transport named 'ftp'; available: file, tcp", e.getMessage());
    }

    @Test
    void aSourceWithNoDestinationFailsAndKeepsTheGuestRunning() throws Exception {
        Migrations m = migrations(Map.of("xbzrle.transport.tcp.connect-timeout", "2s"));
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort(); // closed again: nobody listens there
        }
        try (SyntheticGuest guest = guest(Workload.SPARSE_RANDOM)) {
            MigrationResult r = m.source(guest, URI.create("tcp://127.0.0.1:" + port)).run();
            assertEquals("failed", r.status(), r.toString());
            assertTrue(r.error().contains("127.0.0.1:" + port), r.error());
            assertFalse(guest.paused());
            assertEquals(0, r.ram().transferred());
        }
    }
}
