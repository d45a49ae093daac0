package io.xbzrle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third party's plugin jar, compiled here against xbzrle-api alone and dropped into a copy of
 * the distribution's {@code plugins/}: it is found in a layer of its own, named with its module and
 * origin; a second provider of a built-in's name, and a broken jar, are reported without hiding
 * the rest.
 */
final class PluginsDirectoryIT {

    @TempDir
    Path tmp;

    @Test
    void aJarInPluginsIsFoundWithItsOrigin() throws Exception {
        Path home = copyDistribution();
        plugin("com.example.rot", "com.example.rot", "RotCodecProvider", "io.xbzrle.api.codec.CodecProvider",
                """
                package com.example.rot;
                public final class RotCodecProvider implements io.xbzrle.api.codec.CodecProvider {
                    public String name() { return "rot"; }
                    public io.xbzrle.api.codec.PageCodec create(int pageSize, com.typesafe.config.Config c) {
                        throw new UnsupportedOperationException("a listing test only");
                    }
                }
                """, home.resolve("plugins").resolve("rot.jar"));
        Launcher.Result r = Launcher.run(home.resolve("bin/xbzrle"), Map.of(), "plugins", "--json");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains(
                "{\"name\": \"rot\", \"module\": \"com.example.rot\", \"version\": \"1.2\", \"origin\": \"plugins/rot.jar\"}"),
                r.out());
        assertTrue(r.out().contains("\"name\": \"xbzrle\""), "built-ins still listed: " + r.out());
    }

    @Test
    void aSecondProviderOfOneNameAndABrokenJarAreReported() throws Exception {
        Path home = copyDistribution();
        plugin("com.example.dup", "com.example.dup", "DupCodecProvider", "io.xbzrle.api.codec.CodecProvider",
                """
                package com.example.dup;
                public final class DupCodecProvider implements io.xbzrle.api.codec.CodecProvider {
                    public String name() { return "XBZRLE"; }
                    public io.xbzrle.api.codec.PageCodec create(int pageSize, com.typesafe.config.Config c) {
                        throw new UnsupportedOperationException();
                    }
                }
                """, home.resolve("plugins").resolve("dup.jar"));
        Files.write(home.resolve("plugins").resolve("broken.jar"), new byte[] {1, 2, 3});
        Launcher.Result r = Launcher.run(home.resolve("bin/xbzrle"), Map.of(), "plugins");
        assertEquals(2, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("The codec 'xbzrle' is provided by more than one module: ")
                && r.err().contains("com.example.dup (plugins/dup.jar)") && r.err().contains("io.xbzrle.codec (built-in)"),
                r.err());
        assertTrue(r.err().contains("plugins/broken.jar"), r.err());
        assertTrue(r.out().contains("lru") || r.out().contains("xbzrle"), "the rest is listed: " + r.out());
        Path page = Files.write(tmp.resolve("p"), new byte[4096]);
        Launcher.Result enc = Launcher.run(home.resolve("bin/xbzrle"), Map.of(), "encode", "--old", page.toString(),
                "--new", page.toString(), "--out", tmp.resolve("d").toString());
        assertEquals(2, enc.exit(), "selecting a duplicated name fails: " + enc.err());
        assertTrue(enc.err().contains("more than one module"), enc.err());
    }

    /**
     * A plugin that is a folder (its jar and the library it needs, in a layer of their own) carries
     * a migration: the configuration names its codec, both ends of {@code demo} use it, and the
     * memory verifies. Its codec sends a changed page whole, as a "delta" of the page's length.
     */
    @Test
    void aFolderPluginsCodecCarriesAMigration() throws Exception {
        Path home = copyDistribution();
        Path folder = home.resolve("plugins").resolve("whole");
        module("com.example.bytes", "module com.example.bytes { exports com.example.bytes; }", Map.of(
                "com/example/bytes/Same.java", """
                package com.example.bytes;
                public final class Same {
                    private Same() { }
                    public static boolean same(byte[] a, int ao, byte[] b, int bo, int n) {
                        return java.util.Arrays.equals(a, ao, ao + n, b, bo, bo + n);
                    }
                }
                """), List.of(), folder.resolve("bytes.jar"));
        module("com.example.whole", """
                module com.example.whole {
                    requires io.xbzrle.api;
                    requires com.example.bytes;
                    provides io.xbzrle.api.codec.CodecProvider with com.example.whole.WholePageCodecProvider;
                }
                """, Map.of("com/example/whole/WholePageCodecProvider.java", """
                package com.example.whole;
                import com.example.bytes.Same;
                import io.xbzrle.api.codec.CorruptDeltaException;
                import io.xbzrle.api.codec.PageCodec;
                public final class WholePageCodecProvider implements io.xbzrle.api.codec.CodecProvider {
                    public String name() { return "whole"; }
                    public PageCodec create(int size, com.typesafe.config.Config c) {
                        byte[] zero = new byte[size];
                        return new PageCodec() {
                            public int pageSize() { return size; }
                            public int encode(byte[] old, int oo, byte[] cur, int co, byte[] out, int off, int limit) {
                                if (Same.same(old, oo, cur, co, size)) { return 0; }
                                if (limit < size) { return OVERFLOW; }
                                System.arraycopy(cur, co, out, off, size);
                                return size;
                            }
                            public int decode(byte[] d, int off, int len, byte[] page, int po) throws CorruptDeltaException {
                                if (len != 0 && len != size) { throw new CorruptDeltaException(0, "not a whole page: " + len); }
                                System.arraycopy(d, off, page, po, len);
                                return len;
                            }
                            public boolean isZeroPage(byte[] page, int off) { return Same.same(page, off, zero, 0, size); }
                        };
                    }
                }
                """), List.of(folder.resolve("bytes.jar")), folder.resolve("whole.jar"));
        Path conf = Files.writeString(tmp.resolve("whole.conf"), "xbzrle.codec = whole\n");
        Launcher.Result listed = Launcher.run(home.resolve("bin/xbzrle"), Map.of(), "plugins", "--json");
        assertTrue(listed.out().contains("\"name\": \"whole\", \"module\": \"com.example.whole\""), listed.out() + listed.err());
        // hot-cold: a tenth of the pages takes most writes, so later rounds find them cached; whole
        // pages on the wire still converge (seed-counter, which rewrites 16 MiB, would not).
        Launcher.Result r = Launcher.run(home.resolve("bin/xbzrle"), Map.of(), "demo", "--ram", "16m", "--workload",
                "hot-cold", "--max-bandwidth", "32m", "--downtime-limit", "100ms", "--timeout", "30s", "--json", "--config",
                conf.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        ResultJson j = ResultJson.of(r.out()).assertVerified();
        assertEquals("whole", j.codec());
        assertTrue(j.cache("pages") > 0, "pages went through the plugin's encoder and decoder: " + j);
        assertTrue(j.cache("bytes") > 0 && j.cache("bytes") % (4096 + 3) == 0,
                "whole-page deltas, each counted with its 3 bytes of header as QEMU does: " + j);
    }

    private Path copyDistribution() throws IOException {
        Path src = Launcher.path().getParent().getParent();
        Path home = tmp.resolve("xbzrle");
        try (Stream<Path> all = Files.walk(src)) {
            for (Path p : all.toList()) {
                Path to = home.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return home;
    }

    /** Compiles a one-class provider module against xbzrle-api and config, and jars it. */
    private void plugin(String module, String pkg, String cls, String service, String source, Path jar)
            throws IOException {
        module(module, "module " + module + " { requires io.xbzrle.api; provides " + service + " with " + pkg + "."
                + cls + "; }", Map.of(pkg.replace('.', '/') + "/" + cls + ".java", source), List.of(), jar);
    }

    /**
     * Compiles a module (its {@code module-info} and sources, by path) against the distribution's
     * lib/ and {@code modulePath}, and jars it.
     */
    private void module(String module, String info, Map<String, String> sources, List<Path> modulePath, Path jar)
            throws IOException {
        Path srcDir = tmp.resolve("src-" + module);
        Path classes = tmp.resolve("classes-" + module);
        Files.createDirectories(classes);
        List<String> cmd = new ArrayList<>();
        Path lib = Launcher.path().getParent().getParent().resolve("lib");
        StringBuilder path = new StringBuilder(lib.toString());
        modulePath.forEach(m -> path.append(java.io.File.pathSeparator).append(m));
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "javac").toString(), "--release", "17",
                "--module-version", "1.2", "-p", path.toString(), "-d", classes.toString()));
        cmd.add(Files.writeString(Files.createDirectories(srcDir).resolve("module-info.java"), info).toString());
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = srcDir.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            cmd.add(Files.writeString(file, e.getValue()).toString());
        }
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        try {
            assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "javac timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        assertEquals(0, p.exitValue(), "compiling the test module " + module);
        Files.createDirectories(jar.getParent());
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os)) {
            try (Stream<Path> all = Files.walk(classes)) {
                for (Path f : all.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    Files.copy(f, out);
                    out.closeEntry();
                }
            }
        }
        assertTrue(Files.size(jar) > 0, List.of(jar).toString());
    }
}
