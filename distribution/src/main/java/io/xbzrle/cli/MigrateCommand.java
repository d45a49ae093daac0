package io.xbzrle.cli;

import static java.util.Objects.requireNonNull;

import io.xbzrle.migration.memory.GuestMemory;
import io.xbzrle.migration.pipeline.MigrationBean;
import io.xbzrle.migration.pipeline.MigrationResult;
import io.xbzrle.migration.pipeline.Migrations;
import io.xbzrle.migration.pipeline.SourceMigration;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code xbzrle migrate}: the source of a migration. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {
            "Migrates memory to a destination ('xbzrle receive') while it keeps changing, in pre-copy rounds: "
                + "a file's pages (--ram-file, e.g. a QEMU memory-backend-file) or a synthetic guest's "
                + "(--workload, --ram).",
            "Exit codes: 0 completed (and verified over tcp); 1 failed, cancelled (did not converge within "
                + "--timeout) or not verified; 2 bad usage or bad input.",
            "While it runs, the MXBean io.xbzrle:type=Migration shows its counters and takes a new CacheSize."})
final class MigrateCommand implements Callable<Integer> {
    private final Context context;

    @Spec
    CommandSpec spec;

    @Option(names = "--to", required = true, paramLabel = "URI",
            description = "Where to: tcp://HOST:PORT or file:PATH")
    URI to;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Memory memory;

    static final class Memory {
        @Option(names = "--ram-file", required = true, paramLabel = "PATH",
                description = "Migrate this file's pages (changed pages are found by fingerprints)")
        Path ramFile;

        @ArgGroup(exclusive = false)
        Synthetic synthetic;
    }

    static final class Synthetic {
        @Option(names = "--workload", required = true, paramLabel = "W",
                description = "A synthetic guest: seed-counter, sparse-random, hot-cold, full-page or idle")
        String workload;

        @Option(names = "--ram", paramLabel = "S", description = "The synthetic guest's memory (xbzrle.guest.ram, "
                + "default 256m)")
        String ram;
    }

    @Option(names = "--json", description = "Print one JSON object on stdout and nothing else there")
    boolean json;

    @Mixin
    TuningOptions tuning = new TuningOptions();

    @Mixin
    CommonOptions common = new CommonOptions();

    MigrateCommand(Context context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() {
        Map<String, Object> flags = tuning.settings();
        if (memory.synthetic != null) {
            TuningOptions.put(flags, "xbzrle.guest.workload", memory.synthetic.workload);
            TuningOptions.put(flags, "xbzrle.guest.ram", memory.synthetic.ram);
        }
        Migrations migrations = MigrationCommands.migrations(context, common, flags);
        try (GuestMemory guest = Guests.open(migrations, memory.ramFile)) {
            SourceMigration source = MigrationCommands.source(migrations, guest, to);
            MigrationResult result;
            try (MigrationBean bean = MigrationBean.register(source.status());
                 ProgressDisplay progress = ProgressDisplay.start(source.status(), json)) {
                result = source.run();
            } catch (IllegalArgumentException e) {
                throw new UserException("--to " + to + ": " + e.getMessage(), e);
            }
            ResultPrinter.print(spec.commandLine().getOut(), result, json);
            if (result.error() != null) {
                spec.commandLine().getErr().println("xbzrle: migrate: " + result.error());
            }
            return ResultPrinter.exitCode(result);
        }
    }
}
