package io.xbzrle.transport.tcp.internal;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/** Reads typed values of one config subtree eagerly; every error names the full key path. */
final class Settings {
    private final Config config;
    private final String prefix;

    Settings(Config config, String prefix) {
        this.config = requireNonNull(config, "config is null");
        this.prefix = requireNonNull(prefix, "prefix is null");
    }

    String path(String key) {
        return prefix + "." + key;
    }

    /** Fails on keys of this subtree that are not known, so a typo is not silently ignored. */
    void rejectUnknownKeys(Set<String> known) {
        Set<String> unknown = new TreeSet<>();
        for (String key : config.root().keySet()) {
            if (!known.contains(key)) {
                unknown.add(path(key));
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown setting " + String.join(", ", unknown)
                    + "; known: " + String.join(", ", new TreeSet<>(known)));
        }
    }

    Duration duration(String key, Duration fallback, boolean zeroAllowed) {
        Duration d;
        try {
            d = config.hasPath(key) ? config.getDuration(key) : fallback;
        } catch (ConfigException e) {
            throw invalid(key, "a duration such as 10s or 500ms", e);
        }
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw new IllegalArgumentException(path(key) + ": must be " + (zeroAllowed ? ">= 0" : "> 0")
                    + ", got " + d);
        }
        return d;
    }

    int intBytes(String key, int fallback) {
        long bytes;
        try {
            bytes = config.hasPath(key) ? config.getBytes(key) : fallback;
        } catch (ConfigException e) {
            throw invalid(key, "a size such as 256k or 4m", e);
        }
        if (bytes < 0 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(path(key) + ": must be between 0 and 2g, got " + bytes);
        }
        return (int) bytes;
    }

    boolean bool(String key, boolean fallback) {
        try {
            return config.hasPath(key) ? config.getBoolean(key) : fallback;
        } catch (ConfigException e) {
            throw invalid(key, "true or false", e);
        }
    }

    String string(String key, String fallback) {
        try {
            if (!config.hasPath(key)) {
                return fallback;
            }
            if (config.getValue(key).valueType() != ConfigValueType.STRING
                    && config.getValue(key).valueType() != ConfigValueType.NUMBER) {
                throw new IllegalArgumentException(path(key) + ": must be a string");
            }
            return config.getString(key);
        } catch (ConfigException e) {
            throw invalid(key, "a string", e);
        }
    }

    Settings sub(String key) {
        try {
            Config c = config.hasPath(key) ? config.getConfig(key) : ConfigFactory.empty();
            return new Settings(c, path(key));
        } catch (ConfigException e) {
            throw invalid(key, "an object { ... }", e);
        }
    }

    private IllegalArgumentException invalid(String key, String expected, ConfigException e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new IllegalArgumentException(path(key) + ": must be " + expected + " (" + detail + ")", e);
    }
}
