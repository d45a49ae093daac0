package io.xbzrle.migration.pipeline;

import static java.util.Objects.requireNonNull;

import jakarta.inject.Provider;
import com.typesafe.config.Config;
import io.xbzrle.api.cache.PageCache;
import io.xbzrle.api.codec.PageCodec;
import io.xbzrle.api.transport.Connection;
import io.xbzrle.api.transport.Transport;
import io.xbzrle.api.transport.TransportProvider;
import io.xbzrle.migration.config.CoreSettings;
import io.xbzrle.migration.config.SettingsException;
import io.xbzrle.migration.memory.FileImage;
import io.xbzrle.migration.memory.GuestMemory;
import io.xbzrle.migration.memory.MemoryImage;
import io.xbzrle.migration.plugins.PluginRegistry;
import io.xbzrle.migration.stream.Region;
import io.xbzrle.migration.stream.StreamHeader;
import io.xbzrle.migration.stream.Limits;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;

/** Makes migrations from the wired pieces: the pipeline's entry point for commands and embedders. */
public final class Migrations {
    private final Config config;
    private final PluginRegistry registry;
    private final CoreSettings core;
    private final MigrationSettings settings;
    private final GuestSettings guest;
    private final Provider<PageCodec> codecs;
    private final Provider<PageCache> caches;
    private final LongSupplier nanoClock;
    /** Shared by the migrations this object receives at once. */
    private final DestinationMemory destinationMemory;

    @Inject
    Migrations(Config config, PluginRegistry registry, CoreSettings core, MigrationSettings settings,
               GuestSettings guest, Provider<PageCodec> codecs, Provider<PageCache> caches, LongSupplier nanoClock) {
        this.config = requireNonNull(config, "config is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.core = requireNonNull(core, "core is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.guest = requireNonNull(guest, "guest is null");
        this.codecs = requireNonNull(codecs, "codecs is null");
        this.caches = requireNonNull(caches, "caches is null");
        this.nanoClock = requireNonNull(nanoClock, "nanoClock is null");
        this.destinationMemory = DestinationMemory.from(config);
        // The codec and cache are made per migration, but their names are checked now: a misspelt
        // policy fails when the pipeline is built, not once a guest is allocated and running. (Not
        // in MigrationModule.configure: Guice logs a stack trace for an exception thrown there.)
        registry.codec(core.codec());
        registry.cachePolicy(core.cachePolicy());
    }

    public CoreSettings core() {
        return core;
    }

    public MigrationSettings settings() {
        return settings;
    }

    /** The synthetic guest's settings. */
    public GuestSettings guest() {
        return guest;
    }

    /** The transport for a URI's scheme, created from {@code xbzrle.transport.<scheme>}. */
    public Transport transport(URI uri) {
        if (uri.getScheme() == null) {
            throw new SettingsException("'" + uri + "' names no transport: use tcp://HOST:PORT or file:PATH");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        TransportProvider provider = registry.transport(scheme);
        return provider.create(MigrationModule.subtree(config, "xbzrle.transport." + scheme));
    }

    /** A source migration of {@code memory} to {@code destination}. */
    public SourceMigration source(GuestMemory memory, URI destination) {
        Transport transport = transport(destination);
        return new SourceMigration(memory, codecs.get(), caches.get(), transport, destination, settings,
                new SourceMigration.Names(core.codec(), core.cachePolicy(), destination.getScheme().toLowerCase(Locale.ROOT)),
                nanoClock);
    }

    /**
     * A destination migration over an accepted connection, into memory or into {@code ramFile}.
     */
    public DestinationMigration destination(Connection connection, Optional<Path> ramFile) {
        DestinationMigration.Setup setup = new DestinationMigration.Setup() {
            @Override
            public PageCodec codec(StreamHeader header) {
                return registry.codec(header.codec()).create(header.pageSize(),
                        MigrationModule.subtree(config, "xbzrle.codecs." + header.codec()));
            }

            @Override
            public MemoryImage image(StreamHeader header, Region region) throws IOException {
                return ramFile.isPresent()
                        ? FileImage.open(ramFile.get(), header.pageSize(), region.pages())
                        : destinationMemory.image(header.pageSize(), region.pages());
            }

            @Override
            public SourceMigration.Names names(StreamHeader header) {
                return new SourceMigration.Names(header.codec(), null,
                        connection.endpoint().getScheme());
            }
        };
        return new DestinationMigration(connection, setup, Limits.DEFAULT, nanoClock, settings.streamThreads());
    }
}
