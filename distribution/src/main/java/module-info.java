/** The {@code xbzrle} command. */
module io.xbzrle.cli {
    requires io.xbzrle.migration;
    requires com.google.guice;
    requires info.picocli;
    requires me.tongfei.progressbar; // the migration's progress on a terminal
    requires java.management; // ThreadMXBean: CPU time for bench codec

    // picocli reads and writes the command classes' annotated fields reflectively.
    opens io.xbzrle.cli to info.picocli;
}
