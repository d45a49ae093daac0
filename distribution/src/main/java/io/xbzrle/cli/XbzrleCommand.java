package io.xbzrle.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code xbzrle}: the top-level command; it only holds the subcommands. */
@Command(name = "xbzrle", mixinStandardHelpOptions = true, versionProvider = XbzrleCommand.Version.class,
        description = {
            "Live migration of memory with XBZRLE delta encoding (QEMU's Xor Based Zero Run Length Encoding).",
            "",
            "Exit codes: 0 success; 1 failed, cancelled or not verified; 2 bad usage or bad input."},
        synopsisSubcommandLabel = "COMMAND")
final class XbzrleCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version of the command's module, as the build stamped it. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = XbzrleCommand.class.getModule().getDescriptor() != null
                    ? XbzrleCommand.class.getModule().getDescriptor().rawVersion().orElse(null) : null;
            if (v == null) {
                v = XbzrleCommand.class.getPackage().getImplementationVersion();
            }
            return new String[] {"xbzrle " + (v == null ? "(development build)" : v),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
