package io.xbzrle.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The {@code xbzrle} command's entry point. Exit codes (DESIGN §7): 0 success, 1 failed or
 * cancelled, 2 bad usage or bad input with one line on stderr (a stack trace only with
 * {@code --verbose}).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the command line and returns the exit code; for tests and embedding. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Context context = new Context(Installation.fromSystemProperties());
        CommandLine cli = new CommandLine(new XbzrleCommand());
        cli.addSubcommand(new DemoCommand(context));
        cli.addSubcommand(new MigrateCommand(context));
        cli.addSubcommand(new ReceiveCommand(context));
        cli.addSubcommand(new EncodeCommand(context));
        cli.addSubcommand(new DecodeCommand(context));
        cli.addSubcommand(new CommandLine(new BenchCommand()).addSubcommand(new BenchCodecCommand(context)));
        cli.addSubcommand(new PluginsCommand(context));
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, a) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println("xbzrle: " + e.getMessage() + " (try '" + cmd.getCommandSpec().qualifiedName()
                    + " -h')");
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            boolean verbose = false;
            for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
                verbose |= p.hasMatchedOption("--verbose");
            }
            if (verbose) {
                e.printStackTrace(cmd.getErr());
            }
            if (e instanceof UserException) {
                cmd.getErr().println("xbzrle: " + e.getMessage());
                return ((UserException) e).exitCode();
            }
            cmd.getErr().println("xbzrle: internal error: " + e + (verbose ? "" : " (--verbose shows where)"));
            return ExitCodes.FAILED;
        });
        return cli.execute(args);
    }
}
