package io.xbzrle.migration.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xbzrle.api.cache.PageCache;
import io.xbzrle.api.transport.TransportException;
import io.xbzrle.migration.stream.Limits;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import javax.management.Attribute;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/** The migration's MXBean on the platform MBean server. */
final class MigrationBeanTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    private static SourceMigration source(PageCache cache) {
        return source(cache, InMemoryTransport.duplex());
    }

    /** 64 zero pages but page 3, which holds data. */
    private static SourceMigration source(PageCache cache, InMemoryTransport transport) {
        ScriptedGuest guest = new ScriptedGuest(64, m -> m[3 * 4096 + 5] = 9, List.of());
        return new SourceMigration(guest, Loopback.codec(), cache, transport,
                InMemoryTransport.ENDPOINT, Loopback.settings(true, 0, Duration.ofMillis(300), Duration.ZERO),
                new SourceMigration.Names("xbzrle", "aging", "mem"), guest.clock::get);
    }

    @Test
    void registersReadableAttributesAndAWritableCacheSizeThenUnregisters() throws Exception {
        PageCache cache = Loopback.cache("aging", 1 << 20);
        InMemoryTransport transport = InMemoryTransport.duplex();
        SourceMigration source = source(cache, transport);
        ObjectName name;
        try (MigrationBean bean = MigrationBean.register(source.status())) {
            name = bean.name();
            assertEquals(new ObjectName("io.xbzrle:type=Migration"), name);
            assertTrue(SERVER.isRegistered(name));
            assertEquals("active", SERVER.getAttribute(name, "Status"));
            assertEquals(64L * 4096, SERVER.getAttribute(name, "Total"));
            assertEquals(0L, SERVER.getAttribute(name, "Transferred"));
            assertEquals(1L << 20, SERVER.getAttribute(name, "CacheSize"));

            SERVER.setAttribute(name, new Attribute("CacheSize", 2L << 20));
            assertEquals(2L << 20, cache.capacityBytes(), "the cache itself was resized");
            assertEquals(2L << 20, SERVER.getAttribute(name, "CacheSize"));

            MigrationMXBean proxy = JMX.newMXBeanProxy(SERVER, name, MigrationMXBean.class);
            assertThrows(RuntimeException.class, () -> proxy.setCacheSize(3L << 20),
                    "the aging policy takes a power-of-two number of pages only");
            assertEquals(2L << 20, cache.capacityBytes(), "a refused size changes nothing");

            // The counters follow the migration: run it, then read them through JMX.
            Thread destination = new Thread(() -> {
                try {
                    new DestinationMigration(transport.accept(), new Loopback.Setup(), Limits.DEFAULT,
                            System::nanoTime).run();
                } catch (TransportException e) {
                    throw new IllegalStateException(e);
                }
            }, "test-destination");
            destination.start();
            MigrationResult r = source.run();
            destination.join(30_000);
            assertEquals("completed", r.status(), r.toString());
            assertEquals("completed", proxy.getStatus());
            assertEquals(r.ram().transferred(), proxy.getTransferred());
            assertEquals(63, proxy.getDuplicate());
            assertEquals(1, proxy.getNormal());
            assertEquals(0, proxy.getRemaining());
            assertEquals(r.ram().dirtySyncCount(), proxy.getDirtySyncCount(), "the same count as the result's");
            assertEquals(r.expectedDowntimeMs(), proxy.getExpectedDowntime());
        }
        assertFalse(SERVER.isRegistered(name), "closing unregisters it");
    }

    @Test
    void aSecondMigrationGetsAnId() throws Exception {
        try (MigrationBean first = MigrationBean.register(source(Loopback.cache("lru", 1 << 20)).status())) {
            MigrationBean second = MigrationBean.register(source(Loopback.cache("lru", 1 << 20)).status());
            assertEquals(new ObjectName("io.xbzrle:type=Migration"), first.name());
            assertEquals(new ObjectName("io.xbzrle:type=Migration,id=1"), second.name());
            assertTrue(SERVER.isRegistered(second.name()));
            second.close();
            assertFalse(SERVER.isRegistered(second.name()));
            assertTrue(SERVER.isRegistered(first.name()), "closing one leaves the other");
        }
    }
}
