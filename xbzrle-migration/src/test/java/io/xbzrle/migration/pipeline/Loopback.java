package io.xbzrle.migration.pipeline;

import com.typesafe.config.ConfigFactory;
import io.xbzrle.api.cache.PageCache;
import io.xbzrle.api.codec.PageCodec;
import io.xbzrle.api.transport.Connection;
import io.xbzrle.migration.memory.GuestMemory;
import io.xbzrle.migration.memory.HeapImage;
import io.xbzrle.migration.memory.MemoryImage;
import io.xbzrle.migration.plugins.PluginRegistry;
import io.xbzrle.migration.stream.Limits;
import io.xbzrle.migration.stream.Region;
import io.xbzrle.migration.stream.StreamHeader;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** Runs a source and a destination in this process over an {@link InMemoryTransport}. */
final class Loopback {
    static final PluginRegistry REGISTRY = PluginRegistry.builtIn();

    private Loopback() {
    }

    static PageCodec codec() {
        return REGISTRY.codec("xbzrle").create(ScriptedGuest.PAGE, ConfigFactory.empty());
    }

    static PageCache cache(String policy, long bytes) {
        return REGISTRY.cachePolicy(policy).create(ScriptedGuest.PAGE, bytes, ConfigFactory.empty());
    }

    static MigrationSettings settings(boolean xbzrle, long maxBandwidth, Duration downtimeLimit, Duration timeout) {
        // Stream threads on: the scripted failures below then also go through the writing and
        // reading threads (MigrationEndToEndTest covers the default, which is off on 2 cores).
        return new MigrationSettings(xbzrle, maxBandwidth, downtimeLimit, timeout, false, 20, 10, 99, true);
    }

    /** Both sides' results and the destination's image (left open to be inspected). */
    record Outcome(MigrationResult source, MigrationResult destination, MemoryImage image) {
    }

    /** The destination's choices: the real codec, a heap image that outlives the migration. */
    static class Setup implements DestinationMigration.Setup {
        volatile MemoryImage image;

        @Override
        public PageCodec codec(StreamHeader header) {
            return REGISTRY.codec(header.codec()).create(header.pageSize(), ConfigFactory.empty());
        }

        @Override
        public MemoryImage image(StreamHeader header, Region region) {
            HeapImage heap = new HeapImage(header.pageSize(), region.pages());
            image = heap;
            return new MemoryImage() { // the destination closes it: keep the heap image readable
                @Override
                public int pageSize() {
                    return heap.pageSize();
                }

                @Override
                public long pageCount() {
                    return heap.pageCount();
                }

                @Override
                public void readPage(long index, byte[] dst, int off) {
                    heap.readPage(index, dst, off);
                }

                @Override
                public void writePage(long index, byte[] src, int off) {
                    heap.writePage(index, src, off);
                }

                @Override
                public void zeroPage(long index) {
                    heap.zeroPage(index);
                }

                @Override
                public void force() {
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public SourceMigration.Names names(StreamHeader header) {
            return new SourceMigration.Names(header.codec(), null, "mem");
        }
    }

    static Outcome run(GuestMemory guest, PageCodec codec, PageCache cache, InMemoryTransport transport,
                       MigrationSettings settings, LongSupplier clock) throws Exception {
        return run(guest, codec, cache, transport, settings, clock, new Setup(), Limits.DEFAULT, "xbzrle");
    }

    static Outcome run(GuestMemory guest, PageCodec codec, PageCache cache, InMemoryTransport transport,
                       MigrationSettings settings, LongSupplier clock, Setup setup, Limits limits,
                       String codecName) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "test-destination");
            t.setDaemon(true);
            return t;
        });
        try {
            SourceMigration source = new SourceMigration(guest, codec, cache, transport, InMemoryTransport.ENDPOINT,
                    settings, new SourceMigration.Names(codecName, "test", "mem"), clock);
            Future<MigrationResult> received = pool.submit(() -> {
                Connection c = transport.accept();
                return new DestinationMigration(c, setup, limits, System::nanoTime, settings.streamThreads()).run();
            });
            MigrationResult sent = source.run();
            MigrationResult got = received.get(60, TimeUnit.SECONDS);
            return new Outcome(sent, got, setup.image);
        } finally {
            pool.shutdownNow();
        }
    }
}
