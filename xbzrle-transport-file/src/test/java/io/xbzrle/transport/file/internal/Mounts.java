package io.xbzrle.transport.file.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test helper: a small tmpfs, where the test runs as root and may mount (else {@code false}). */
final class Mounts {
    private Mounts() {
    }

    static boolean tmpfs(Path dir, String options) {
        return run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()));
    }

    static void unmount(Path dir) {
        run(List.of("umount", dir.toString()));
    }

    private static boolean run(List<String> command) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
