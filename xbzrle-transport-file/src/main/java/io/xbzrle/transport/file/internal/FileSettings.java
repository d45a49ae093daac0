package io.xbzrle.transport.file.internal;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code xbzrle.transport.file} settings, read and checked once; a missing key means the
 * default of the module's {@code reference.conf}.
 *
 * @param fsync whether a finished file is forced to disk before and after its rename
 */
record FileSettings(boolean fsync) {

    static final String PREFIX = "xbzrle.transport.file";
    private static final Set<String> KEYS = Set.of("fsync");

    /** Reads the subtree; messages name the offending key. */
    static FileSettings from(Config config) {
        requireNonNull(config, "config is null");
        Set<String> unknown = new TreeSet<>();
        for (String key : config.root().keySet()) {
            if (!KEYS.contains(key)) {
                unknown.add(PREFIX + "." + key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown setting " + String.join(", ", unknown)
                    + "; known: " + String.join(", ", new TreeSet<>(KEYS)));
        }
        try {
            return new FileSettings(!config.hasPath("fsync") || config.getBoolean("fsync"));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(PREFIX + ".fsync: must be true or false (" + e.getMessage() + ")", e);
        }
    }
}
