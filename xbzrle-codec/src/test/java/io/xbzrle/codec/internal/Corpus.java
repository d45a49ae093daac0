package io.xbzrle.codec.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The shared corpus of page pairs with QEMU's encoder's output ({@code ../shared/corpus}). CI always
 * has it; a user's clone may not, and then the tests that need it are skipped with a message.
 */
final class Corpus {
    static final int PAGE = 4096;
    static final String ABSENT = "no ../shared/corpus beside the project (it comes with the team's "
            + "shared folder, not with a clone): QEMU golden-output tests skipped";

    private Corpus() {
    }

    /** The corpus folder: the {@code xbzrle.corpus} property, else {@code shared/corpus} above. */
    static Optional<Path> find() {
        String prop = System.getProperty("xbzrle.corpus");
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            return Optional.of(Path.of(prop));
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolveSibling("shared").resolve("corpus");
            if (Files.isDirectory(c)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** A workload: old and new pages and QEMU's entries (return value, encoded bytes). */
    record Workload(String name, byte[] old, byte[] cur, List<Entry> qemu) {
        int pages() {
            return old.length / PAGE;
        }
    }

    record Entry(int result, byte[] bytes) {
    }

    static List<Workload> load(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Workload> out = new ArrayList<>();
            for (Path q : files.filter(f -> f.toString().endsWith(".qemu")).sorted().toList()) {
                String name = q.getFileName().toString().replaceFirst("\\.qemu$", "");
                byte[] old = Files.readAllBytes(dir.resolve(name + ".old"));
                byte[] cur = Files.readAllBytes(dir.resolve(name + ".new"));
                out.add(new Workload(name, old, cur, entries(Files.readAllBytes(q))));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Entry> entries(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<Entry> out = new ArrayList<>();
        while (b.hasRemaining()) {
            int n = b.getInt();
            byte[] bytes = new byte[Math.max(n, 0)];
            b.get(bytes);
            out.add(new Entry(n, bytes));
        }
        return out;
    }
}
