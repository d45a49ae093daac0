package io.xbzrle.migration.pipeline;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.xbzrle.api.cache.PageCache;
import io.xbzrle.api.codec.PageCodec;
import io.xbzrle.migration.config.CoreSettings;
import io.xbzrle.migration.config.SettingsException;
import io.xbzrle.migration.plugins.PluginRegistry;
import java.util.function.LongSupplier;

/**
 * Wires the pipeline from configuration: the codec, cache policy and transports that the settings
 * name, found in the plugin registry, each created from its own settings subtree. Settings are
 * read eagerly into typed records, so a bad value fails when the injector is made.
 */
public final class MigrationModule extends AbstractModule {
    private final Config config;
    private final PluginRegistry registry;

    public MigrationModule(Config config, PluginRegistry registry) {
        this.config = requireNonNull(config, "config is null");
        this.registry = requireNonNull(registry, "registry is null");
    }

    @Override
    protected void configure() {
        bind(Config.class).toInstance(config);
        bind(PluginRegistry.class).toInstance(registry);
        bind(LongSupplier.class).toInstance(System::nanoTime);
    }

    @Provides
    @Singleton
    CoreSettings core() {
        return CoreSettings.from(config);
    }

    @Provides
    @Singleton
    MigrationSettings migration() {
        return MigrationSettings.from(config);
    }

    @Provides
    @Singleton
    GuestSettings guest() {
        return GuestSettings.from(config);
    }

    /** A codec for the configured page size (stateless: one is shared). */
    @Provides
    @Singleton
    PageCodec codec(CoreSettings core) {
        try {
            return registry.codec(core.codec()).create(core.pageSize(), subtree(config, "xbzrle.codecs." + core.codec()));
        } catch (IllegalArgumentException e) {
            throw new SettingsException("xbzrle.codec '" + core.codec() + "': " + e.getMessage(), e);
        }
    }

    /** A new cache per migration. */
    @Provides
    PageCache cache(CoreSettings core) {
        try {
            return registry.cachePolicy(core.cachePolicy()).create(core.pageSize(), core.cacheSize(),
                    subtree(config, "xbzrle.cache." + core.cachePolicy()));
        } catch (IllegalArgumentException e) {
            throw new SettingsException("xbzrle.cache.size: " + e.getMessage(), e);
        }
    }

    /** The subtree at {@code path}, or an empty one. */
    static Config subtree(Config config, String path) {
        return config.hasPath(path) ? config.getConfig(path) : ConfigFactory.empty();
    }
}
