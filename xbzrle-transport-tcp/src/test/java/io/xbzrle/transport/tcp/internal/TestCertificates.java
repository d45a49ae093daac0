package io.xbzrle.transport.tcp.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throw-away certificates made at test time with the test JDK's keytool: a CA, a node certificate
 * signed by it (for localhost, 127.0.0.1 and ::1; used by both sides) in {@code node.p12}, a trust
 * store with the CA in {@code trust.p12}, and a self-signed {@code rogue.p12} that nobody trusts.
 * EC keys, valid for two days. Nothing is committed.
 */
final class TestCertificates {
    static final String PASSWORD = "test-only-password";

    final Path node;
    final Path trust;
    final Path rogue;

    private TestCertificates(Path dir) {
        requireNonNull(dir, "dir is null");
        this.node = dir.resolve("node.p12");
        this.trust = dir.resolve("trust.p12");
        this.rogue = dir.resolve("rogue.p12");
    }

    static TestCertificates create(Path dir) throws IOException, InterruptedException {
        TestCertificates c = new TestCertificates(dir);
        String ca = dir.resolve("ca.p12").toString();
        String caPem = dir.resolve("ca.pem").toString();
        String csr = dir.resolve("node.csr").toString();
        String nodePem = dir.resolve("node.pem").toString();
        String node = c.node.toString();
        keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=xbzrle test CA", "-ext", "bc:c", "-validity", "2", "-keystore", ca);
        keytool(dir, "-exportcert", "-alias", "ca", "-rfc", "-file", caPem, "-keystore", ca);
        keytool(dir, "-importcert", "-alias", "ca", "-file", caPem, "-noprompt", "-keystore", c.trust.toString());
        keytool(dir, "-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=xbzrle test node", "-validity", "2", "-keystore", node);
        keytool(dir, "-certreq", "-alias", "node", "-file", csr, "-keystore", node);
        keytool(dir, "-gencert", "-alias", "ca", "-infile", csr, "-outfile", nodePem, "-rfc", "-validity", "2",
                "-ext", "san=dns:localhost,ip:127.0.0.1,ip:::1", "-ext", "eku=serverAuth,clientAuth",
                "-keystore", ca);
        keytool(dir, "-importcert", "-alias", "ca", "-file", caPem, "-noprompt", "-keystore", node);
        keytool(dir, "-importcert", "-alias", "node", "-file", nodePem, "-keystore", node);
        keytool(dir, "-genkeypair", "-alias", "rogue", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=xbzrle rogue", "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2",
                "-keystore", c.rogue.toString());
        return c;
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("keytool timed out: " + command);
        }
        if (p.exitValue() != 0) {
            throw new IOException("keytool failed (" + p.exitValue() + "): " + command + "\n"
                    + new String(output, StandardCharsets.UTF_8));
        }
    }
}
