package io.xbzrle.cli;

import static java.util.Objects.requireNonNull;

import io.xbzrle.api.transport.Connection;
import io.xbzrle.api.transport.Listener;
import io.xbzrle.api.transport.Transport;
import io.xbzrle.api.transport.TransportException;
import io.xbzrle.migration.memory.GuestMemory;
import io.xbzrle.migration.pipeline.MigrationBean;
import io.xbzrle.migration.pipeline.MigrationResult;
import io.xbzrle.migration.pipeline.Migrations;
import io.xbzrle.migration.pipeline.SourceMigration;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code xbzrle demo}: source and destination in one process. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
            "Migrates a running synthetic guest to a destination in the same process (over loopback TCP, or "
                + "through a temporary file) and prints the result.",
            "Exit codes: 0 completed and verified; 1 failed, cancelled (did not converge within --timeout) or not "
                + "verified; 2 bad usage."})
final class DemoCommand implements Callable<Integer> {
    private final Context context;

    @Spec
    CommandSpec spec;

    @Option(names = "--ram", paramLabel = "S", description = "The guest's memory (xbzrle.guest.ram, default 256m)")
    String ram;

    @Option(names = "--workload", paramLabel = "W", description = "seed-counter (default), sparse-random, hot-cold, "
            + "full-page or idle (xbzrle.guest.workload)")
    String workload;

    @Option(names = "--transport", paramLabel = "T", defaultValue = "tcp",
            description = "tcp (loopback, the default) or file")
    String transportName;

    @Option(names = "--json", description = "Print one JSON object on stdout and nothing else there")
    boolean json;

    @Mixin
    TuningOptions tuning = new TuningOptions();

    @Mixin
    CommonOptions common = new CommonOptions();

    DemoCommand(Context context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        Map<String, Object> flags = tuning.settings();
        TuningOptions.put(flags, "xbzrle.guest.workload", workload);
        TuningOptions.put(flags, "xbzrle.guest.ram", ram);
        Migrations migrations = MigrationCommands.migrations(context, common, flags);
        MigrationResult result;
        try (GuestMemory guest = Guests.open(migrations, null)) {
            result = switch (transportName) {
                case "tcp" -> overTcp(migrations, guest);
                case "file" -> throughFile(migrations, guest);
                default -> throw new UserException("--transport: tcp or file, not '" + transportName + "'");
            };
        }
        ResultPrinter.print(spec.commandLine().getOut(), result, json);
        if (result.error() != null) {
            spec.commandLine().getErr().println("xbzrle: demo: " + result.error());
        }
        return ResultPrinter.exitCode(result);
    }

    private MigrationResult overTcp(Migrations migrations, GuestMemory guest) throws InterruptedException {
        URI any = URI.create("tcp://127.0.0.1:0");
        Transport transport = MigrationCommands.transport(migrations, any);
        ExecutorService destination = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "xbzrle-destination");
            t.setDaemon(true);
            return t;
        });
        try (Listener listener = MigrationCommands.listen(transport, any)) {
            Future<MigrationResult> received = destination.submit(() -> {
                Connection c = listener.accept();
                return migrations.destination(c, Optional.empty()).run();
            });
            MigrationResult sent = runSource(migrations, guest, listener.address());
            listener.close(); // ends an accept still waiting if the source never connected
            try {
                MigrationResult got = received.get(60, TimeUnit.SECONDS);
                return sent.error() == null && got.error() != null ? withError(sent, got.error()) : sent;
            } catch (ExecutionException e) {
                return withError(sent, "destination: " + SourceMigration.describe(e.getCause()));
            } catch (TimeoutException e) {
                return withError(sent, "destination: no result within 60 s of the source's end");
            }
        } catch (TransportException e) {
            throw new UserException(e.getMessage(), e, ExitCodes.FAILED);
        } finally {
            destination.shutdownNow();
        }
    }

    private MigrationResult throughFile(Migrations migrations, GuestMemory guest) throws IOException {
        Path dir = Files.createTempDirectory("xbzrle-demo");
        Path file = dir.resolve("migration.xbz");
        try {
            URI uri = file.toUri();
            MigrationResult sent = runSource(migrations, guest, uri);
            if (!"completed".equals(sent.status())) {
                return sent;
            }
            Transport transport = MigrationCommands.transport(migrations, uri);
            MigrationResult got;
            try (Listener listener = MigrationCommands.listen(transport, uri)) {
                got = migrations.destination(listener.accept(), Optional.empty()).run();
            }
            return sent.with(got.error() == null ? sent.status() : "failed", got.verifyMatch(), got.error());
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private MigrationResult runSource(Migrations migrations, GuestMemory guest, URI to) {
        SourceMigration source = MigrationCommands.source(migrations, guest, to);
        try (MigrationBean bean = MigrationBean.register(source.status());
             ProgressDisplay progress = ProgressDisplay.start(source.status(), json)) {
            return source.run();
        }
    }

    private static MigrationResult withError(MigrationResult r, String error) {
        return r.with("failed", r.verifyMatch(), error);
    }
}
