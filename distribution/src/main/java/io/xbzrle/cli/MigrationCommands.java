package io.xbzrle.cli;

import com.google.inject.Guice;
import com.typesafe.config.Config;
import io.xbzrle.api.transport.Listener;
import io.xbzrle.api.transport.Transport;
import io.xbzrle.api.transport.TransportException;
import io.xbzrle.migration.config.SettingsException;
import io.xbzrle.migration.memory.GuestMemory;
import io.xbzrle.migration.pipeline.Migrations;
import io.xbzrle.migration.pipeline.MigrationModule;
import io.xbzrle.migration.pipeline.SourceMigration;
import io.xbzrle.migration.plugins.PluginException;
import java.net.URI;
import java.util.Map;

/** What the migration commands share: the wired pipeline, and user-facing errors for its faults. */
final class MigrationCommands {
    private MigrationCommands() {
    }

    static Migrations migrations(Context context, CommonOptions common, Map<String, ?> flags) {
        Config config = context.settings(common, flags);
        try {
            return Guice.createInjector(new MigrationModule(config, context.registry())).getInstance(Migrations.class);
        } catch (com.google.inject.CreationException | com.google.inject.ProvisionException e) {
            throw userError(e);
        }
    }

    /** The first settings or plugin fault behind {@code e}, as a one-line user error. */
    private static RuntimeException userError(RuntimeException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof SettingsException || t instanceof PluginException
                    || t instanceof IllegalArgumentException) {
                return new UserException(t.getMessage(), e);
            }
        }
        return e;
    }

    static Transport transport(Migrations migrations, URI uri) {
        try {
            return migrations.transport(uri);
        } catch (SettingsException | PluginException | IllegalArgumentException e) {
            throw new UserException(uri + ": " + e.getMessage(), e);
        }
    }

    static Listener listen(Transport transport, URI uri) {
        try {
            return transport.listen(uri);
        } catch (TransportException e) {
            throw new UserException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserException(uri + ": " + e.getMessage(), e);
        }
    }

    static SourceMigration source(Migrations migrations, GuestMemory guest, URI to) {
        try {
            return migrations.source(guest, to);
        } catch (SettingsException | PluginException | IllegalArgumentException e) {
            throw new UserException(e.getMessage(), e);
        } catch (com.google.inject.ProvisionException e) {
            throw userError(e);
        }
    }
}
