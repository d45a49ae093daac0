package io.xbzrle.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate} and {@code receive} as two processes (DESIGN §3, §7, §9): over loopback tcp,
 * through a stream file (whole, truncated, corrupted), a RAM file's pages, and a receiver killed
 * mid-migration. Every process started here is killed in a finally block (try-with-resources).
 */
final class MigrationBetweenProcessesIT {
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path dir;

    @Test
    void overTcpBothSidesCompleteWithTheSameDigest() throws Exception {
        Path ram = dir.resolve("dst.ram");
        int[] port = new int[1];
        try (RunningCommand receiver = startReceiver(port, "--json", "--ram-file", ram.toString())) {
            Launcher.Result src = Launcher.run("migrate", "--to", "tcp://127.0.0.1:" + port[0], "--workload",
                    "hot-cold", "--ram", "32m", "--timeout", "30s", "--json");
            Launcher.Result dst = receiver.waitFor(Duration.ofSeconds(20));
            assertEquals(0, src.exit(), "migrate: " + src.out() + src.err());
            assertEquals(0, dst.exit(), "receive --once: " + dst.out() + dst.err());
            ResultJson s = ResultJson.of(src.out()).assertVerified();
            ResultJson d = ResultJson.of(dst.out()).assertVerified();
            assertEquals(s.digest(), d.digest(), "one memory on both sides");
            assertEquals("tcp", s.transport());
            assertEquals("tcp", d.transport());
            assertEquals(32 * MIB, s.ram("total"));
            assertEquals(32 * MIB, d.ram("total"));
            assertEquals(32 * MIB, Files.size(ram), "the RAM file has the guest's size");
            assertEquals(s.digest(), sha256(ram), "the RAM file holds the migrated memory");
        }
    }

    @Test
    void aStreamFileReplaysAndADamagedOneIsRefused() throws Exception {
        Path stream = dir.resolve("m.xbz");
        Launcher.Result src = Launcher.run("migrate", "--to", "file:" + stream, "--workload", "sparse-random",
                "--ram", "32m", "--timeout", "30s", "--json");
        assertEquals(0, src.exit(), src.out() + src.err());
        ResultJson s = ResultJson.of(src.out());
        assertEquals("completed", s.status(), s.toString());
        assertEquals("file", s.transport());
        assertNotNull(s.digest(), "the source's digest travels in the file: " + s);

        Launcher.Result dst = Launcher.run("receive", "--from", "file:" + stream, "--json");
        assertEquals(0, dst.exit(), dst.out() + dst.err());
        ResultJson d = ResultJson.of(dst.out()).assertVerified();
        assertEquals(s.digest(), d.digest());
        assertEquals(32 * MIB, d.ram("total"));

        byte[] whole = Files.readAllBytes(stream);
        byte[] corrupt = whole.clone();
        for (int i = whole.length / 3; i < whole.length / 3 + 4; i++) {
            corrupt[i] ^= (byte) 0x5a;
        }
        Map<String, byte[]> damaged = Map.of(
                "half", Arrays.copyOf(whole, whole.length / 2),
                "all but the last byte", Arrays.copyOf(whole, whole.length - 1),
                "inside the header", Arrays.copyOf(whole, 7),
                "four bytes changed", corrupt);
        for (Map.Entry<String, byte[]> e : damaged.entrySet()) {
            Path bad = Files.write(dir.resolve("bad.xbz"), e.getValue());
            Launcher.Result r = Launcher.run("receive", "--from", "file:" + bad, "--json");
            String what = e.getKey() + ": exit " + r.exit() + ": " + r.out() + r.err();
            assertTrue(r.exit() == 1 || r.exit() == 2, what);
            if (!r.out().isEmpty()) {
                ResultJson j = ResultJson.of(r.out());
                assertFalse("completed".equals(j.status()), what);
                assertFalse(Boolean.TRUE.equals(j.match()), what);
            }
            assertEquals(1, r.err().strip().lines().count(), "one line on stderr: " + what);
            assertTrue(r.err().startsWith("xbzrle: "), what);
            assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace: " + what);
        }
    }

    @Test
    void aRamFilesPagesArriveByteForByte() throws Exception {
        Path from = dir.resolve("source.ram");
        Files.write(from, ramFileContent());
        Path to = dir.resolve("destination.ram");
        byte[] junk = new byte[(int) (20 * MIB)]; // an old file of another size: resized, every byte replaced
        Arrays.fill(junk, (byte) 0xaa);
        Files.write(to, junk);
        Path stream = dir.resolve("f.xbz");

        Launcher.Result src = Launcher.run("migrate", "--to", "file:" + stream, "--ram-file", from.toString(),
                "--timeout", "30s", "--json");
        assertEquals(0, src.exit(), src.out() + src.err());
        ResultJson s = ResultJson.of(src.out());
        assertEquals("completed", s.status(), s.toString());
        assertEquals(sha256(from), s.digest(), "the digest of the file's pages");
        assertEquals(Files.size(from), s.ram("total"));

        Launcher.Result dst = Launcher.run("receive", "--from", "file:" + stream, "--ram-file", to.toString(),
                "--json");
        assertEquals(0, dst.exit(), dst.out() + dst.err());
        ResultJson d = ResultJson.of(dst.out()).assertVerified();
        assertEquals(s.digest(), d.digest());
        assertEquals(Files.size(from), Files.size(to));
        assertArrayEquals(Files.readAllBytes(from), Files.readAllBytes(to));
    }

    @Test
    void aKilledReceiverFailsTheSourceWithTheCause() throws Exception {
        Path ram = dir.resolve("killed.ram");
        int[] port = new int[1];
        try (RunningCommand receiver = startReceiver(port, "--ram-file", ram.toString())) {
            String uri = "tcp://127.0.0.1:" + port[0];
            // 64 MiB at 8 MiB/s: the first round alone takes 8 s; the receiver dies in it.
            try (RunningCommand source = RunningCommand.start("migrate", "--to", uri, "--workload", "full-page",
                    "--ram", "64m", "--max-bandwidth", "8m", "--timeout", "30s", "--json")) {
                boolean arriving = RunningCommand.poll(Duration.ofSeconds(20),
                        () -> pagesArrived(ram) || !source.alive() || !receiver.alive());
                assertTrue(arriving && source.alive() && receiver.alive(), "pages arriving at the receiver: source "
                        + (source.alive() ? "running" : source.out() + source.err()) + ", receiver "
                        + (receiver.alive() ? "running" : receiver.out() + receiver.err()));
                receiver.kill();
                long t0 = System.nanoTime();
                Launcher.Result r = source.waitFor(Duration.ofSeconds(15));
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(1, r.exit(), r.out() + r.err());
                ResultJson j = ResultJson.of(r.out());
                assertEquals("failed", j.status(), j.toString());
                assertTrue(j.error().contains(uri), "names the destination: " + j.error());
                assertTrue(j.error().matches("(?is).*(reset|broken pipe|closed|ended|peer).*"),
                        "names the cause: " + j.error());
                assertTrue(j.ram("transferred") > 0 && j.ram("remaining") > 0, j.toString());
                assertTrue(r.err().contains(j.error()), "the reason on stderr too: " + r.err());
                assertTrue(ms < 15_000, "noticed in " + ms + " ms");
            }
        }
    }

    /**
     * A receiver without {@code --once} serves until stopped: a peer that is not a trusted TLS
     * source (here one speaking HTTP) is named on its stderr and changes nothing; migrations one
     * after another and two at once all complete, each with its own result line.
     */
    @Test
    void aServingReceiverOutlivesABadPeerAndTakesMigrationsInTurnAndAtOnce() throws Exception {
        Path conf = tlsSettings(dir);
        int[] port = new int[1];
        try (RunningCommand receiver = startReceiver(false, port, "--json", "--config", conf.toString())) {
            String uri = "tcp://127.0.0.1:" + port[0];
            try (Socket scanner = new Socket(InetAddress.getLoopbackAddress(), port[0])) {
                scanner.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(RunningCommand.poll(Duration.ofSeconds(20),
                        () -> receiver.err().contains("TLS handshake with 127.0.0.1:") || !receiver.alive()),
                        "the refused peer on stderr: " + receiver.err());
            }
            assertTrue(receiver.alive(), "still serving after the bad peer: " + receiver.err());
            String[] migrate = {"migrate", "--to", uri, "--workload", "sparse-random", "--ram", "16m",
                "--timeout", "30s", "--json", "--config", conf.toString()};
            for (int k = 0; k < 2; k++) {
                Launcher.Result r = Launcher.run(migrate);
                assertEquals(0, r.exit(), "migration " + k + " in turn: " + r.out() + r.err());
                ResultJson.of(r.out()).assertVerified();
            }
            try (RunningCommand a = RunningCommand.start(migrate); RunningCommand b = RunningCommand.start(migrate)) {
                for (RunningCommand m : List.of(a, b)) {
                    Launcher.Result r = m.waitFor(Duration.ofSeconds(60));
                    assertEquals(0, r.exit(), "migration at once: " + r.out() + r.err());
                    ResultJson.of(r.out()).assertVerified();
                }
            }
            assertTrue(RunningCommand.poll(Duration.ofSeconds(20),
                    () -> receiver.out().lines().filter(l -> !l.isBlank()).count() == 4 || !receiver.alive()),
                    "four results: " + receiver.out() + receiver.err());
            assertTrue(receiver.alive(), "still serving: " + receiver.err());
            receiver.out().lines().filter(l -> !l.isBlank()).forEach(l -> ResultJson.of(l + "\n").assertVerified());
        }
    }

    /** A throw-away CA, a certificate for 127.0.0.1 that both ends use, and the settings naming them. */
    private static Path tlsSettings(Path dir) throws IOException, InterruptedException {
        String password = "changeit";
        keytool(dir, password, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=test CA", "-ext", "bc:c", "-validity", "2", "-keystore", "ca.p12");
        keytool(dir, password, "-exportcert", "-alias", "ca", "-rfc", "-file", "ca.pem", "-keystore", "ca.p12");
        keytool(dir, password, "-importcert", "-alias", "ca", "-file", "ca.pem", "-noprompt", "-keystore", "trust.p12");
        keytool(dir, password, "-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=node", "-validity", "2", "-keystore", "node.p12");
        keytool(dir, password, "-certreq", "-alias", "node", "-file", "node.csr", "-keystore", "node.p12");
        keytool(dir, password, "-gencert", "-alias", "ca", "-infile", "node.csr", "-outfile", "node.pem", "-rfc",
                "-ext", "san=ip:127.0.0.1", "-ext", "eku=serverAuth,clientAuth", "-validity", "2", "-keystore", "ca.p12");
        keytool(dir, password, "-importcert", "-alias", "ca", "-file", "ca.pem", "-noprompt", "-keystore", "node.p12");
        keytool(dir, password, "-importcert", "-alias", "node", "-file", "node.pem", "-keystore", "node.p12");
        Path conf = dir.resolve("tls.conf");
        Files.writeString(conf, "xbzrle.transport.tcp.tls {\n  enabled = true\n"
                + "  key-store = \"" + dir.resolve("node.p12") + "\"\n  key-store-password = " + password + "\n"
                + "  trust-store = \"" + dir.resolve("trust.p12") + "\"\n  trust-store-password = " + password + "\n"
                + "  warm-up = 0\n}\n");
        return conf;
    }

    private static void keytool(Path dir, String password, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", password));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "keytool " + String.join(" ", args) + ": " + output);
    }

    /**
     * {@code receive --once --listen tcp://127.0.0.1:PORT ARGS} on a free port, once it listens;
     * another port if someone took this one meanwhile.
     */
    private static RunningCommand startReceiver(int[] port, String... args) throws Exception {
        return startReceiver(true, port, args);
    }

    /** The same without {@code --once} when {@code once} is false: a receiver serving until killed. */
    private static RunningCommand startReceiver(boolean once, int[] port, String... args) throws Exception {
        for (int attempt = 1; ; attempt++) {
            port[0] = freePort();
            List<String> cmd = new ArrayList<>(List.of("receive", "--listen", "tcp://127.0.0.1:" + port[0]));
            if (once) {
                cmd.add(1, "--once");
            }
            cmd.addAll(List.of(args));
            RunningCommand receiver = RunningCommand.start(cmd.toArray(String[]::new));
            boolean ready = false;
            try {
                RunningCommand.poll(Duration.ofSeconds(20),
                        () -> receiver.err().contains("listening on") || !receiver.alive());
                ready = receiver.alive() && receiver.err().contains("listening on tcp://127.0.0.1:" + port[0]);
                if (ready) {
                    return receiver;
                }
                if (receiver.alive()) {
                    fail("not listening after 20 s: " + receiver + ": " + receiver.err());
                }
                if (!receiver.err().contains("in use") || attempt == 5) {
                    fail(receiver + " ended: " + receiver.err());
                }
            } finally {
                if (!ready) {
                    receiver.close();
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Whether the receiver's RAM file has non-zero bytes in its first 4 MiB (the first round writes in order). */
    private static boolean pagesArrived(Path ram) {
        if (!Files.isRegularFile(ram)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(ram, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate((int) (4 * MIB));
            while (b.hasRemaining() && ch.read(b) > 0) {
                // reads up to 4 MiB
            }
            b.flip();
            while (b.hasRemaining()) {
                if (b.get() != 0) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false; // being created
        }
    }

    /** 16 MiB of pages of several kinds: random, zero, text, and a byte pattern. */
    private static byte[] ramFileContent() {
        byte[] b = new byte[(int) (16 * MIB)];
        SplittableRandom rnd = new SplittableRandom(11);
        int page = 4096;
        byte[] text = "The quick brown fox jumps over the lazy dog. ".getBytes(StandardCharsets.US_ASCII);
        for (int p = 0; p < b.length / page; p++) {
            int at = p * page;
            switch (p % 4) {
                case 0 -> {
                    byte[] r = new byte[page];
                    rnd.nextBytes(r);
                    System.arraycopy(r, 0, b, at, page);
                }
                case 1 -> {
                    // a zero page
                }
                case 2 -> {
                    for (int i = 0; i < page; i++) {
                        b[at + i] = text[(i + p) % text.length];
                    }
                }
                default -> b[at + (p % page)] = (byte) p; // nearly zero: one byte set
            }
        }
        return b;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            while (ch.read(b) > 0) {
                b.flip();
                md.update(b);
                b.clear();
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
