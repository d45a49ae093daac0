package io.xbzrle.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line contract (DESIGN §5, §7) through the real launcher on the module path: a
 * missing {@code opens} or a packaging fault shows here and nowhere else.
 */
final class CommandLineIT {
    private static final int PAGE = 4096;

    @TempDir
    static Path dir;
    static Path old;
    static Path cur;

    @BeforeAll
    static void pages() throws IOException {
        SplittableRandom rnd = new SplittableRandom(7);
        byte[] o = new byte[16 * PAGE];
        rnd.nextBytes(o);
        byte[] n = o.clone();
        for (int p = 0; p < 16; p++) {
            int changes = p * 20; // page 0 unchanged ... page 15 heavily changed
            for (int k = 0; k < changes; k++) {
                n[p * PAGE + rnd.nextInt(PAGE)] ^= (byte) (1 + rnd.nextInt(255));
            }
        }
        for (int i = 14 * PAGE; i < 15 * PAGE; i++) {
            n[i] = (byte) ~o[i]; // page 14: every byte changed, an overflow
        }
        old = Files.write(dir.resolve("a.old"), o);
        cur = Files.write(dir.resolve("a.new"), n);
    }

    @Test
    void versionAndHelp() throws Exception {
        Launcher.Result v = Launcher.run("--version");
        assertEquals(0, v.exit(), v.err());
        assertTrue(v.out().startsWith("xbzrle "), v.out());
        for (String cmd : new String[] {"encode", "decode", "plugins"}) {
            Launcher.Result h = Launcher.run(cmd, "-h");
            assertEquals(0, h.exit(), cmd + ": " + h.err());
            assertTrue(h.out().contains("--config"), cmd + " -h names --config: " + h.out());
        }
        Launcher.Result h = Launcher.run("bench", "codec", "-h");
        assertTrue(h.out().contains("--corpus") && h.out().contains("--json"), h.out());
    }

    @Test
    void encodeThenDecodeGivesTheNewImage() throws Exception {
        Path delta = dir.resolve("a.delta");
        Path back = dir.resolve("a.back");
        Launcher.Result e = Launcher.run("encode", "--old", old.toString(), "--new", cur.toString(), "--out",
                delta.toString());
        assertEquals(0, e.exit(), e.err());
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(delta)).order(ByteOrder.LITTLE_ENDIAN);
        int[] lengths = new int[16];
        for (int p = 0; p < 16; p++) {
            lengths[p] = b.getInt();
            b.position(b.position() + Math.max(lengths[p], 0));
        }
        assertFalse(b.hasRemaining());
        assertEquals(0, lengths[0], "unchanged page");
        assertEquals(-1, lengths[14], "every byte changed: overflow");
        Launcher.Result d = Launcher.run("decode", "--old", old.toString(), "--delta", delta.toString(), "--out",
                back.toString());
        assertEquals(0, d.exit(), d.err());
        byte[] want = Files.readAllBytes(cur);
        byte[] o = Files.readAllBytes(old);
        System.arraycopy(o, 14 * PAGE, want, 14 * PAGE, PAGE); // -1 leaves the old page
        assertArrayEquals(want, Files.readAllBytes(back));
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        Path odd = Files.write(dir.resolve("odd"), new byte[PAGE + 5]);
        Path delta = dir.resolve("b.delta");
        assertEquals(0, Launcher.run("encode", "--old", old.toString(), "--new", cur.toString(), "--out",
                delta.toString()).exit());
        byte[] good = Files.readAllBytes(delta);
        byte[] corrupt = good.clone();
        // Page 0 is unchanged (length 0); page 1's entry starts at 4: make its first zrun run past the page.
        int len1 = ByteBuffer.wrap(good, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertTrue(len1 > 2);
        corrupt[8] = (byte) 0xff;
        corrupt[9] = (byte) 0x7f;
        Path bad = Files.write(dir.resolve("corrupt.delta"), corrupt);
        Path shortDelta = Files.write(dir.resolve("short.delta"), java.util.Arrays.copyOf(good, 4 + 4 + len1));
        Path out = dir.resolve("x.out");
        Object[][] cases = {
            {new String[] {"encode", "--old", dir.resolve("missing").toString(), "--new", cur.toString(), "--out",
                out.toString()}, "missing"},
            {new String[] {"encode", "--old", odd.toString(), "--new", odd.toString(), "--out", out.toString()},
                "not a whole number"},
            {new String[] {"decode", "--old", old.toString(), "--delta", bad.toString(), "--out", out.toString()},
                "page 1"},
            {new String[] {"decode", "--old", old.toString(), "--delta", shortDelta.toString(), "--out",
                out.toString()}, "ends after 2 entries"},
            {new String[] {"encode", "--old", old.toString(), "--new", cur.toString(), "--out", out.toString(),
                "--page-size", "1000"}, "--page-size"},
            {new String[] {"encode", "--old", old.toString()}, "--new"},
        };
        for (Object[] c : cases) {
            String[] args = (String[]) c[0];
            Launcher.Result r = Launcher.run(args);
            String what = String.join(" ", args);
            assertEquals(2, r.exit(), what + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), what + ": one line: " + r.err());
            assertTrue(r.err().contains((String) c[1]), what + ": names '" + c[1] + "': " + r.err());
            assertFalse(r.err().contains("\tat "), what + ": stack trace");
            assertFalse(Files.exists(out), what + ": left an output file");
        }
        Launcher.Result verbose = Launcher.run("decode", "--old", old.toString(), "--delta", bad.toString(), "--out",
                out.toString(), "--verbose");
        assertEquals(2, verbose.exit());
        assertTrue(verbose.err().contains("\tat "), "--verbose shows the stack trace: " + verbose.err());
    }

    @Test
    void unknownSettingIsNamed() throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.conf"), "xbzrle.page-szie = 4096\n");
        Launcher.Result r = Launcher.run("encode", "--old", old.toString(), "--new", cur.toString(), "--out",
                dir.resolve("y").toString(), "--config", conf.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("xbzrle.page-szie"), r.err());
    }

    @Test
    void pluginsListsEveryBuiltInWithItsModule() throws Exception {
        Launcher.Result r = Launcher.run("plugins", "--json");
        assertEquals(0, r.exit(), r.err());
        String json = r.out().strip();
        assertTrue(json.startsWith("{\"codecs\": [") && json.endsWith("}"), json);
        assertTrue(json.contains("{\"name\": \"xbzrle\", \"module\": \"io.xbzrle.codec\""), json);
        assertTrue(json.contains("\"cache-policies\": [") && json.contains("\"transports\": ["), json);
        assertTrue(json.contains("\"origin\": \"built-in\""), json);
        assertEquals(1, r.out().strip().lines().count(), "one JSON object on one line");
    }

    @Test
    void benchCodecPrintsOneJsonObject() throws Exception {
        Launcher.Result r = Launcher.run("bench", "codec", "--old", old.toString(), "--new", cur.toString(), "--json",
                "--round-time", "2");
        assertEquals(0, r.exit(), r.err());
        String json = r.out().strip();
        assertTrue(json.startsWith("{\"workloads\": [{\"name\": \"a\", \"pages\": 16, \"encode-mb-s\": "), json);
        assertTrue(json.contains("\"decode-mb-s\": ") && json.contains("\"copy-mb-s\": "), json);
    }

    @Test
    void corpusGoldenThroughTheCommandLine() throws Exception {
        Path corpus = Path.of(System.getProperty("xbzrle.corpus", "../../shared/corpus"));
        assumeTrue(Files.isDirectory(corpus), "no ../shared/corpus beside the project: golden CLI test skipped");
        Path out = dir.resolve("mixed.delta");
        Launcher.Result r = Launcher.run("encode", "--old", corpus.resolve("mixed.old").toString(), "--new",
                corpus.resolve("mixed.new").toString(), "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(Files.readAllBytes(corpus.resolve("mixed.qemu")), Files.readAllBytes(out));
    }

    @Test
    void shortCopiesAreInlinedOnEveryX86CpuWithAvx512() throws Exception {
        // HotSpot turns this on by itself on Intel CPUs; on AMD ones the launcher does.
        Path cpuinfo = Path.of("/proc/cpuinfo");
        assumeTrue(Files.isReadable(cpuinfo) && "amd64".equals(System.getProperty("os.arch")),
                "not x86-64 Linux: nothing to inline with");
        String flags = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("flags")).findFirst()
                .orElse("") + " ";
        assumeTrue(flags.contains(" avx512bw ") && flags.contains(" avx512vl "), "no AVX-512 (BW, VL) on this CPU");
        Launcher.Result r = Launcher.run(Launcher.path(), Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal"), "--version");
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.err().contains("warning"), r.err());
        Matcher m = Pattern.compile("ArrayOperationPartialInlineSize\\s+=\\s+(\\d+)").matcher(r.out());
        assertTrue(m.find(), "the JVM's flags: " + r.out().length() + " characters");
        assertTrue(Integer.parseInt(m.group(1)) > 0, m.group());
        assertTrue(r.out().contains("xbzrle "), "the command ran too");
    }
}
