package io.xbzrle.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An output file written beside its final name and moved into place only when complete, so a
 * failed command never leaves a file that looks whole.
 */
final class AtomicOutput implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final OutputStream out;
    private boolean committed;

    AtomicOutput(Path target, String option) {
        this.target = target.toAbsolutePath();
        Path dir = this.target.getParent();
        try {
            if (Files.isDirectory(this.target)) {
                throw new UserException(option + " " + target + ": is a folder");
            }
            this.temp = Files.createTempFile(dir, "." + this.target.getFileName(), ".partial");
            this.out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new UserException(option + " " + target + ": the folder " + dir + " does not exist");
        } catch (AccessDeniedException e) {
            throw new UserException(option + " " + target + ": cannot write in " + dir + " (permission denied)");
        } catch (IOException e) {
            throw new UserException(option + " " + target + ": cannot be written: " + e.getMessage(), e);
        }
    }

    OutputStream stream() {
        return out;
    }

    void writeIntLe(int v) throws IOException {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }

    /** Flushes and moves the file into place. */
    void commit() {
        try {
            out.close();
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            committed = true;
        } catch (IOException e) {
            throw new UserException(target + ": cannot be written: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                out.close();
            } catch (IOException e) {
                // The partial file is deleted next; its content no longer matters.
            }
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // Best effort: a leftover .partial file never looks like a finished output.
            }
        }
    }
}
