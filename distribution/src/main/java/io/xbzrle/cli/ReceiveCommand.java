package io.xbzrle.cli;

import static java.util.Objects.requireNonNull;

import io.xbzrle.api.transport.Connection;
import io.xbzrle.api.transport.Listener;
import io.xbzrle.api.transport.PeerSetupException;
import io.xbzrle.api.transport.Transport;
import io.xbzrle.api.transport.TransportException;
import io.xbzrle.migration.pipeline.MigrationResult;
import io.xbzrle.migration.pipeline.Migrations;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code xbzrle receive}: the destination. */
@Command(name = "receive", mixinStandardHelpOptions = true,
        description = {
            "The destination of migrations: listens (--listen tcp://HOST:PORT) and serves migrations until stopped, "
                + "one after another or several at once, or replays a migration written to a file (--from).",
            "Each migration's memory is checked against the source's digest; the result is printed when it ends "
                + "(with --json, one JSON object per line).",
            "Exit codes (with --once or --from): 0 completed and verified; 1 failed, cancelled or not verified; "
                + "2 bad usage or bad input."})
final class ReceiveCommand implements Callable<Integer> {
    private final Context context;

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--listen", required = true, paramLabel = "URI", description = "Listen here: tcp://HOST:PORT")
        URI listen;

        @Option(names = "--from", required = true, paramLabel = "URI",
                description = "Replay a migration stream file: file:PATH")
        URI from;
    }

    @Option(names = "--ram-file", paramLabel = "PATH",
            description = "Write the memory to this file (created or resized to the guest's size); default: in memory")
    Path ramFile;

    @Option(names = "--once", description = "Exit after one migration, with its exit code")
    boolean once;

    @Option(names = "--json", description = "Print each result as one JSON object on a line of stdout, nothing else")
    boolean json;

    @Mixin
    CommonOptions common = new CommonOptions();

    ReceiveCommand(Context context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() throws InterruptedException {
        Migrations migrations = MigrationCommands.migrations(context, common, Map.of());
        URI uri = source.listen != null ? source.listen : source.from;
        checkScheme();
        boolean single = once || source.from != null;
        Transport transport = MigrationCommands.transport(migrations, uri);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Listener listener = MigrationCommands.listen(transport, uri)) {
            if (source.listen != null) {
                // On stderr also with --json: how a script knows it may start the source, and the port of :0.
                err.println("xbzrle: receive: listening on " + listener.address());
                err.flush();
            }
            if (single) {
                Connection c = accept(listener, err);
                // One migration: later sources are refused at once rather than held while it runs.
                listener.close();
                MigrationResult r = migrations.destination(c, Optional.ofNullable(ramFile)).run();
                report(out, err, r);
                return ResultPrinter.exitCode(r);
            }
            // Several at once, unless they would share one --ram-file.
            ExecutorService pool = ramFile == null ? Executors.newCachedThreadPool() : Executors.newSingleThreadExecutor();
            try {
                while (true) {
                    Connection c = accept(listener, err);
                    pool.execute(() -> report(out, err, migrations.destination(c, Optional.ofNullable(ramFile)).run()));
                }
            } finally {
                pool.shutdownNow();
            }
        } catch (TransportException e) {
            throw new UserException(e.getMessage(), e, ExitCodes.FAILED);
        }
    }

    /** --listen is for the network, --from for a stream file: mixed up, they would block or replay. */
    private void checkScheme() {
        if (source.listen != null && "file".equalsIgnoreCase(source.listen.getScheme())) {
            throw new UserException("--listen " + source.listen + ": a stream file is replayed with --from, "
                    + "--listen takes tcp://HOST:PORT");
        }
        if (source.from != null && "tcp".equalsIgnoreCase(source.from.getScheme())) {
            throw new UserException("--from " + source.from + ": --from replays a stream file (file:PATH); "
                    + "to receive over tcp, use --listen");
        }
    }

    /**
     * The next connection. A peer that fails to set one up (a port scanner, a source without a
     * trusted certificate) is named on stderr and the wait goes on: it is not a migration, and it
     * must not stop the ones that come after it.
     */
    private Connection accept(Listener listener, PrintWriter err) throws TransportException {
        while (true) {
            try {
                return listener.accept();
            } catch (PeerSetupException e) {
                warn(err, e.getMessage());
            }
        }
    }

    private synchronized void warn(PrintWriter err, String line) {
        err.println("xbzrle: receive: " + line);
        err.flush();
    }

    private synchronized void report(PrintWriter out, PrintWriter err, MigrationResult r) {
        ResultPrinter.print(out, r, json);
        if (r.error() != null) {
            // stderr also with --json: stdout has the JSON alone, a person or a log still sees why.
            warn(err, r.error());
        }
    }
}
