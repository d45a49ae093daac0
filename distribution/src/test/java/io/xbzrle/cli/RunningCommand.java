package io.xbzrle.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The packaged launcher running in the background (a receiver, or a source to be watched), its
 * stdout and stderr going to files that can be read while it runs. {@link #close()} kills it if it
 * still runs: use it in try-with-resources so that no test leaves a process behind.
 */
final class RunningCommand implements AutoCloseable {
    private final List<String> command;
    private final Process process;
    private final Path out;
    private final Path err;

    private RunningCommand(List<String> command, Process process, Path out, Path err) {
        this.command = command;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    static RunningCommand start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Launcher.path().toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile("xbzrle-bg-out", ".txt");
        Path err = Files.createTempFile("xbzrle-bg-err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        return new RunningCommand(cmd, p, out, err);
    }

    boolean alive() {
        return process.isAlive();
    }

    String out() {
        return read(out);
    }

    String err() {
        return read(err);
    }

    /** Waits for the end; an {@link AssertionError} (after killing it) if it takes longer than {@code limit}. */
    Launcher.Result waitFor(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError("no end within " + limit.toSeconds() + " s: " + command + "\nstderr: " + err());
        }
        return new Launcher.Result(process.exitValue(), out(), err());
    }

    /** kill -9, and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError("still running after kill -9: " + command);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (process.isAlive()) {
                kill();
            }
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }

    /**
     * Polls {@code condition} every 50 ms until it holds (true) or {@code limit} has passed (false).
     */
    static boolean poll(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
