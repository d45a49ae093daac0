package io.xbzrle.cli;

import io.xbzrle.migration.pipeline.MigrationStatus;
import java.io.Console;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A migration's progress on the terminal (stderr): the share of memory the destination holds as of
 * the last dirty-log sync, the round and what is still dirty. Shown only when there is a terminal
 * and the output is not JSON; otherwise it does nothing.
 */
final class ProgressDisplay implements AutoCloseable {
    private final ProgressBar bar;
    private final ScheduledExecutorService poller;

    private ProgressDisplay(ProgressBar bar, ScheduledExecutorService poller) {
        this.bar = bar;
        this.poller = poller;
    }

    static ProgressDisplay start(MigrationStatus status, boolean json) {
        if (json || !onTerminal()) {
            return new ProgressDisplay(null, null);
        }
        long total = status.published().totalBytes();
        ProgressBar bar = new ProgressBarBuilder().setTaskName("migrating").setInitialMax(total >> 20)
                .setUnit(" MiB", 1).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .continuousUpdate().build();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "xbzrle-progress");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleAtFixedRate(() -> {
            MigrationStatus.Snapshot s = status.published();
            long sent = Math.min(total, s.rounds() == 0 ? s.transferred() : total - s.remainingBytes());
            bar.stepTo(Math.max(0, sent) >> 20);
            bar.setExtraMessage(String.format(Locale.ROOT, "round %d, %d MiB sent, %d MiB dirty", s.rounds() + 1,
                    s.transferred() >> 20, s.remainingBytes() >> 20));
        }, 0, 250, TimeUnit.MILLISECONDS);
        return new ProgressDisplay(bar, poller);
    }

    @Override
    public void close() {
        if (bar != null) {
            poller.shutdownNow();
            bar.close();
        }
    }

    /**
     * Whether stdout and stdin are a terminal. Up to Java 21 {@code System.console()} is null when
     * they are not; Java 22 to 24 return a console anyway, whose {@code isTerminal()} (22 and
     * later) tells.
     */
    static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return true; // before Java 22: a console is a terminal
        }
    }
}
