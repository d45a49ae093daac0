package io.xbzrle.cli;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import io.xbzrle.migration.config.SettingsException;
import io.xbzrle.migration.config.SettingsLoader;
import io.xbzrle.migration.plugins.PluginRegistry;
import java.util.Map;

/** What every command needs: the installation, its plugins and the effective settings. */
final class Context {
    private final Installation installation;
    private PluginRegistry registry;

    Context(Installation installation) {
        this.installation = requireNonNull(installation, "installation is null");
    }

    /** The built-in and plugins/ providers, loaded once. */
    PluginRegistry registry() {
        if (registry == null) {
            registry = PluginRegistry.load(installation.pluginsDir());
        }
        return registry;
    }

    /**
     * The effective settings for a command.
     *
     * @param flags the command's flags that override settings, by path; null values are skipped
     * @throws UserException for a bad setting, naming it
     */
    Config settings(CommonOptions common, Map<String, ?> flags) {
        Map<String, Object> given = new java.util.HashMap<>();
        flags.forEach((k, v) -> {
            if (v != null) {
                given.put(k, v);
            }
        });
        try {
            return new SettingsLoader(registry().pluginLoaders())
                    .load(installation.applicationConf(), common.configFile(), System.getProperties(), given);
        } catch (SettingsException e) {
            throw new UserException(e.getMessage(), e);
        }
    }
}
