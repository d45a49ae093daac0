package io.xbzrle.migration.config;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Builds the effective configuration, lowest precedence first: every module's
 * {@code reference.conf} (built-in and plugins), the installation's {@code conf/application.conf},
 * the {@code --config} file, {@code -Dxbzrle...} system properties, and command-line flags.
 *
 * <p>Every setting under {@code xbzrle} must be known to some {@code reference.conf}, and of the
 * type the reference gives it: a mistyped key fails here, by name, rather than being ignored.
 */
public final class SettingsLoader {
    private final List<ClassLoader> pluginLoaders;

    /** @param pluginLoaders the plugin layers' class loaders, whose reference.conf files are merged */
    public SettingsLoader(List<ClassLoader> pluginLoaders) {
        this.pluginLoaders = List.copyOf(requireNonNull(pluginLoaders, "pluginLoaders is null"));
    }

    /** Every module's defaults, merged. */
    public Config reference() {
        Config ref = ConfigFactory.defaultReference(SettingsLoader.class.getClassLoader());
        for (ClassLoader loader : pluginLoaders) {
            ref = ref.withFallback(ConfigFactory.defaultReference(loader));
        }
        return ref;
    }

    /**
     * The effective configuration.
     *
     * @param applicationConf the installation's file; skipped if absent
     * @param configFile the user's {@code --config} file; must exist if given
     * @param systemProperties the JVM's system properties (only {@code xbzrle.*} are read)
     * @param flags settings given as command-line flags, by path (highest precedence)
     * @throws SettingsException naming the file, key and fault
     */
    public Config load(Optional<Path> applicationConf, Optional<Path> configFile, Properties systemProperties,
                       Map<String, ?> flags) {
        Config reference = reference();
        Config user = ConfigFactory.parseMap(flags, "command-line flags");
        Config props = ConfigFactory.parseProperties(systemProperties,
                ConfigParseOptions.defaults().setOriginDescription("system properties"));
        if (props.hasPath("xbzrle")) {
            user = user.withFallback(props.withOnlyPath("xbzrle"));
        }
        if (configFile.isPresent()) {
            user = user.withFallback(parse(configFile.get(), true));
        }
        if (applicationConf.isPresent()) {
            user = user.withFallback(parse(applicationConf.get(), false));
        }
        rejectUnknown(user, reference);
        Config all;
        try {
            all = user.withFallback(reference).resolve();
            all.checkValid(reference, "xbzrle");
        } catch (ConfigException e) {
            throw new SettingsException(e.getMessage(), e);
        }
        CoreSettings.from(all); // checks the shared keys' values now, by name
        return all;
    }

    private static Config parse(Path file, boolean required) {
        if (!Files.exists(file)) {
            if (required) {
                throw new SettingsException("config file " + file + ": not found");
            }
            return ConfigFactory.empty();
        }
        if (!Files.isReadable(file)) {
            throw new SettingsException("config file " + file + ": not readable");
        }
        try {
            return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new SettingsException("config file " + file + ": " + e.getMessage(), e);
        }
    }

    private static void rejectUnknown(Config user, Config reference) {
        if (!user.hasPath("xbzrle")) {
            return;
        }
        for (Map.Entry<String, ConfigValue> e : user.withOnlyPath("xbzrle").entrySet()) {
            String path = e.getKey();
            if (!reference.hasPathOrNull(path)) {
                throw new SettingsException("Unknown setting '" + path + "' (" + e.getValue().origin().description()
                        + "); every setting is documented in the reference.conf of its module");
            }
        }
    }
}
