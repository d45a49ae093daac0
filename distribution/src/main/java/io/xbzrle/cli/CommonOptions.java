package io.xbzrle.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "HOCON settings that override conf/application.conf (and are overridden by "
                    + "-Dxbzrle.… properties in JAVA_OPTS and by flags)")
    Path config;

    @Option(names = "--verbose", description = "Print stack traces and details on errors")
    boolean verbose;

    Optional<Path> configFile() {
        return Optional.ofNullable(config);
    }
}
