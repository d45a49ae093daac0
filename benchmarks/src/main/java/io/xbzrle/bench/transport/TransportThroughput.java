package io.xbzrle.bench.transport;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.xbzrle.api.transport.Connection;
import io.xbzrle.api.transport.Listener;
import io.xbzrle.api.transport.Transport;
import io.xbzrle.api.transport.TransportProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Throughput of the {@code tcp} transport over loopback against a plain {@code java.net.Socket}
 * (and a plain JSSE {@code SSLSocket} with the same certificates for TLS) in the same run: one
 * writer thread and one reader thread, 256 KiB heap buffers, median of the rounds, baseline and
 * transport interleaved: wall-clock MB/s (10^6 bytes/s), and MB per CPU-second of the two threads
 * (kernel time included), which stays steadier on a busy machine. Not a test.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.xbzrle.bench.transport.TransportThroughput
 * [bytes-per-run, default 2147483648] [rounds, default 5]}
 */
public final class TransportThroughput {
    private static final int CHUNK = 256 * 1024;
    private static final String PASSWORD = "bench-only-password";

    private TransportThroughput() {
    }

    public static void main(String[] args) throws Exception {
        long bytes = args.length > 0 ? Long.parseLong(args[0]) : 2L << 30;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("xbzrle-bench-tls");
        try {
            makeCertificates(dir);
            SSLContext context = context(dir);
            Transport plain = tcp(Map.of());
            Map<String, Object> tlsSettings = new HashMap<>();
            tlsSettings.put("tls.enabled", true);
            tlsSettings.put("tls.key-store", dir.resolve("node.p12").toString());
            tlsSettings.put("tls.key-store-password", PASSWORD);
            tlsSettings.put("tls.trust-store", dir.resolve("trust.p12").toString());
            tlsSettings.put("tls.trust-store-password", PASSWORD);
            tlsSettings.put("tls.warm-up", 0); // its first round would share the cores with the warm-up
            Transport tls = tcp(tlsSettings);
            ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "bench-writer");
                t.setDaemon(true);
                return t;
            });
            try {
                System.out.printf("%d MB per run, %d rounds, java %s%n", bytes / 1_000_000, rounds,
                        System.getProperty("java.version"));
                compare("plain", rounds, () -> rawSocket(executor, bytes, null), () -> transport(executor, plain, bytes));
                compare("TLS", rounds, () -> rawSocket(executor, bytes, context), () -> transport(executor, tls, bytes));
            } finally {
                executor.shutdownNow();
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    @FunctionalInterface
    private interface Run {
        Result run() throws Exception;
    }

    /** Wall-clock MB/s, and MB per CPU-second of the writer and reader threads together. */
    private record Result(double wall, double cpu) {
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }

    private static void compare(String name, int rounds, Run baseline, Run transport) throws Exception {
        baseline.run(); // warm-up
        transport.run();
        double[] b = new double[rounds];
        double[] t = new double[rounds];
        double[] bc = new double[rounds];
        double[] tc = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            Result rb = baseline.run();
            Result rt = transport.run();
            b[i] = rb.wall();
            bc[i] = rb.cpu();
            t[i] = rt.wall();
            tc[i] = rt.cpu();
        }
        double mb = median(b);
        double mt = median(t);
        System.out.printf("%-5s wall: socket %6.0f MB/s  transport %6.0f MB/s  ratio %.2fx  (socket %s, transport %s)%n",
                name, mb, mt, mt / mb, Arrays.toString(round(b)), Arrays.toString(round(t)));
        System.out.printf("%-5s cpu:  socket %6.0f MB/cpu-s  transport %6.0f MB/cpu-s  ratio %.2fx%n",
                name, median(bc), median(tc), median(tc) / median(bc));
    }

    private static Result rawSocket(ExecutorService executor, long bytes, SSLContext tls) throws Exception {
        ServerSocket server = tls == null ? new ServerSocket()
                : tls.getServerSocketFactory().createServerSocket();
        if (server instanceof SSLServerSocket s) {
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(new String[] {"TLSv1.3"});
            p.setNeedClientAuth(true);
            s.setSSLParameters(p);
        }
        try (server) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = server.getLocalPort();
            long start = System.nanoTime();
            Future<Long> writer = executor.submit(() -> {
                long cpu0 = cpu();
                try (Socket s = tls == null ? new Socket() : tls.getSocketFactory().createSocket()) {
                    if (s instanceof SSLSocket ssl) {
                        SSLParameters p = ssl.getSSLParameters();
                        p.setProtocols(new String[] {"TLSv1.3"});
                        ssl.setSSLParameters(p);
                    }
                    s.setTcpNoDelay(true);
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
                    OutputStream out = s.getOutputStream();
                    byte[] chunk = data();
                    for (long left = bytes; left > 0; left -= CHUNK) {
                        out.write(chunk, 0, (int) Math.min(CHUNK, left));
                    }
                    s.shutdownOutput();
                    s.getInputStream().read();
                }
                return cpu() - cpu0;
            });
            long received = 0;
            long cpu0 = cpu();
            try (Socket s = server.accept()) {
                s.setTcpNoDelay(true);
                InputStream in = s.getInputStream();
                byte[] buffer = new byte[CHUNK];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received += n;
                }
            }
            long readerCpu = cpu() - cpu0;
            return check(bytes, received, start, writer.get(5, TimeUnit.MINUTES) + readerCpu);
        }
    }

    private static Result transport(ExecutorService executor, Transport transport, long bytes) throws Exception {
        try (Listener listener = transport.listen(URI.create("tcp://127.0.0.1:0"))) {
            long start = System.nanoTime();
            Future<Long> writer = executor.submit(() -> {
                long cpu0 = cpu();
                try (Connection c = transport.connect(listener.address())) {
                    ByteBuffer chunk = ByteBuffer.wrap(data());
                    for (long left = bytes; left > 0; left -= CHUNK) {
                        chunk.clear().limit((int) Math.min(CHUNK, left));
                        c.stream().write(chunk);
                    }
                    c.finish();
                    c.returnPath().orElseThrow().read(ByteBuffer.allocate(1));
                }
                return cpu() - cpu0;
            });
            long received = 0;
            long cpu0 = cpu();
            try (Connection c = listener.accept()) {
                ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
                for (int n; (n = c.stream().read(buffer.clear())) >= 0; ) {
                    received += n;
                }
                c.finish();
            }
            long readerCpu = cpu() - cpu0;
            return check(bytes, received, start, writer.get(5, TimeUnit.MINUTES) + readerCpu);
        }
    }

    private static Result check(long bytes, long received, long start, long cpuNanos) {
        if (received != bytes) {
            throw new IllegalStateException("received " + received + " of " + bytes + " bytes");
        }
        return new Result(bytes / ((System.nanoTime() - start) / 1e9) / 1e6, bytes / (cpuNanos / 1e9) / 1e6);
    }

    private static byte[] data() {
        byte[] chunk = new byte[CHUNK];
        new SplittableRandom(1).nextBytes(chunk);
        return chunk;
    }

    private static Transport tcp(Map<String, Object> settings) {
        TransportProvider provider = ServiceLoader.load(TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.scheme().equals("tcp"))
                .findFirst().orElseThrow(() -> new IllegalStateException("no tcp transport on the class path"));
        Config config = ConfigFactory.parseMap(settings);
        return provider.create(config);
    }

    private static SSLContext context(Path dir) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("node.p12"))) {
            keys.load(in, PASSWORD.toCharArray());
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("trust.p12"))) {
            trust.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /** A throw-away CA and a node certificate for 127.0.0.1, made with this JDK's keytool. */
    private static void makeCertificates(Path dir) throws IOException, InterruptedException {
        String ca = dir.resolve("ca.p12").toString();
        String node = dir.resolve("node.p12").toString();
        keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=bench CA", "-ext", "bc:c", "-validity", "1", "-keystore", ca);
        keytool(dir, "-exportcert", "-alias", "ca", "-rfc", "-file", "ca.pem", "-keystore", ca);
        keytool(dir, "-importcert", "-alias", "ca", "-file", "ca.pem", "-noprompt", "-keystore", "trust.p12");
        keytool(dir, "-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=bench node", "-validity", "1", "-keystore", node);
        keytool(dir, "-certreq", "-alias", "node", "-file", "node.csr", "-keystore", node);
        keytool(dir, "-gencert", "-alias", "ca", "-infile", "node.csr", "-outfile", "node.pem", "-rfc",
                "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "1", "-keystore", ca);
        keytool(dir, "-importcert", "-alias", "ca", "-file", "ca.pem", "-noprompt", "-keystore", node);
        keytool(dir, "-importcert", "-alias", "node", "-file", "node.pem", "-keystore", node);
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + command + "\n" + new String(output, StandardCharsets.UTF_8));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static long[] round(double[] values) {
        return Arrays.stream(values).mapToLong(Math::round).toArray();
    }
}
