package io.xbzrle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
        Path srcDir = tmp.resolve("src-" + module);
        Path classes = tmp.resolve("classes-" + module);
        Path file = srcDir.resolve(pkg.replace('.', '/')).resolve(cls + ".java");
        Files.createDirectories(file.getParent());
        Files.createDirectories(classes);
        Files.writeString(file, source);
        Path info = Files.writeString(srcDir.resolve("module-info.java"), "module " + module
                + " { requires io.xbzrle.api; provides " + service + " with " + pkg + "." + cls + "; }");
        Path lib = Launcher.path().getParent().getParent().resolve("lib");
        Path javac = Path.of(System.getProperty("java.home"), "bin", "javac");
        Process p = new ProcessBuilder(javac.toString(), "--release", "17", "--module-version", "1.2", "-p",
                lib.toString(), "-d", classes.toString(), file.toString(), info.toString()).inheritIO().start();
        try {
            assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "javac timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        assertEquals(0, p.exitValue(), "compiling the test plugin");
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
