package io.xbzrle.cli;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the command is installed: {@code bin/}, {@code lib/}, {@code plugins/}, {@code conf/}. The
 * launcher passes the folder as {@code -Dxbzrle.home}; without it (tests, embedding) there are no
 * plugins and no site configuration.
 */
record Installation(Optional<Path> home) {

    static Installation fromSystemProperties() {
        String home = System.getProperty("xbzrle.home");
        return new Installation(home == null || home.isBlank() ? Optional.empty() : Optional.of(Path.of(home)));
    }

    Optional<Path> pluginsDir() {
        return home.map(h -> h.resolve("plugins"));
    }

    Optional<Path> applicationConf() {
        return home.map(h -> h.resolve("conf").resolve("application.conf"));
    }
}
