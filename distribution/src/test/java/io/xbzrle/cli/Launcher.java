package io.xbzrle.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged launcher ({@code target/xbzrle/bin/xbzrle}) as a user would. */
final class Launcher {
    record Result(int exit, String out, String err) {
    }

    static Path path() {
        String p = System.getProperty("xbzrle.launcher", "target/xbzrle/bin/xbzrle");
        return Path.of(p).toAbsolutePath();
    }

    static Result run(String... args) throws IOException, InterruptedException {
        return run(path(), Map.of(), args);
    }

    static Result run(Path launcher, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Path out = Files.createTempFile("xbzrle-out", ".txt");
        Path err = Files.createTempFile("xbzrle-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("no answer in 120 s: " + cmd);
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    private Launcher() {
    }
}
