package io.xbzrle.transport.tcp.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Collections;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** A JSSE context built from {@link TlsSettings}, and the sockets it makes. */
final class Tls {
    private final TlsSettings settings;
    private final SSLContext context;

    private Tls(TlsSettings settings, SSLContext context) {
        this.settings = requireNonNull(settings, "settings is null");
        this.context = requireNonNull(context, "context is null");
    }

    /** Loads both stores now, so a bad file or password fails at start-up naming its key. */
    static Tls create(TlsSettings settings) {
        requireNonNull(settings, "settings is null");
        String prefix = TcpSettings.PREFIX + ".tls.";
        KeyStore keys = load(prefix + "key-store", settings.keyStore().orElseThrow(),
                settings.keyStoreType(), settings.keyStorePassword());
        KeyStore trust = load(prefix + "trust-store", settings.trustStore().orElseThrow(),
                settings.trustStoreType(), settings.trustStorePassword());
        try {
            if (Collections.list(keys.aliases()).stream().noneMatch(a -> isKey(keys, a))) {
                throw new IllegalArgumentException(prefix + "key-store: " + settings.keyStore().orElseThrow()
                        + " holds no private key");
            }
            if (Collections.list(trust.aliases()).stream().noneMatch(a -> isCertificate(trust, a))) {
                throw new IllegalArgumentException(prefix + "trust-store: " + settings.trustStore().orElseThrow()
                        + " holds no certificate");
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, settings.keyStorePassword().toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return new Tls(settings, context);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(prefix + "key-store: cannot use the key in "
                    + settings.keyStore().orElseThrow() + ": " + e.getMessage(), e);
        }
    }

    private static boolean isKey(KeyStore store, String alias) {
        try {
            return store.isKeyEntry(alias);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean isCertificate(KeyStore store, String alias) {
        try {
            return store.getCertificate(alias) != null;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static KeyStore load(String key, Path file, String type, String password) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance(type);
            // An empty password reads a store without checking its integrity: fine for a trust store
            // of public certificates; a key store's private key needs its password anyway.
            store.load(in, password.isEmpty() ? null : password.toCharArray());
            return store;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(key + ": no such file " + file, e);
        } catch (IOException e) {
            String why = e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("password")
                    ? "wrong password or not a " + type + " file"
                    : e.getMessage();
            throw new IllegalArgumentException(key + ": cannot read " + file + ": " + why, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(key + ": cannot read " + file + " as " + type + ": "
                    + e.getMessage(), e);
        }
    }

    /** Wraps a connected socket as the client (the source); the handshake is not started. */
    SSLSocket client(Socket raw, String host, int port) throws IOException {
        return client(raw, host, port, settings.verifyHostname());
    }

    /**
     * Wraps a socket connected to this process (the warm-up) as the client: as {@link #client}, but
     * without checking the host name, which this side's own certificate need not have.
     */
    SSLSocket loopbackClient(Socket raw, int port) throws IOException {
        return client(raw, raw.getInetAddress().getHostAddress(), port, false);
    }

    private SSLSocket client(Socket raw, String host, int port, boolean verifyHostname) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(raw, host, port, true);
        s.setUseClientMode(true);
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(new String[] {TlsSettings.PROTOCOL});
        if (verifyHostname) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        s.setSSLParameters(p);
        return s;
    }

    /** Wraps an accepted socket as the server (the destination), requiring a client certificate. */
    SSLSocket server(Socket raw) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory()
                .createSocket(raw, raw.getInetAddress().getHostAddress(), raw.getPort(), true);
        s.setUseClientMode(false);
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(new String[] {TlsSettings.PROTOCOL});
        p.setNeedClientAuth(true);
        s.setSSLParameters(p);
        return s;
    }

    /** One line saying why a handshake failed, for a person who has to fix certificates. */
    static String describe(SSLException e, boolean client) {
        String m = String.valueOf(e.getMessage());
        String lower = m.toLowerCase(Locale.ROOT);
        if (hasCause(e, CertPathValidatorException.class) || lower.contains("pkix path")) {
            return "peer presented no trusted certificate (" + m + ")";
        }
        if (lower.contains("empty client certificate chain") || lower.contains("certificate_required")) {
            return client ? "peer refused our certificate: our key store has none issued by a CA it trusts ("
                    + m + ")"
                    : "peer presented no trusted certificate: none issued by a CA in our trust store (" + m + ")";
        }
        if (lower.contains("no subject alternative") || lower.contains("no name matching")) {
            return "peer's certificate does not name the host we connected to (" + m + ")";
        }
        if (hasCause(e, CertificateException.class)) {
            return "peer presented no trusted certificate (" + m + ")";
        }
        if (lower.contains("bad_certificate") || lower.contains("certificate_unknown")
                || lower.contains("unknown_ca")) {
            return "peer refused our certificate (" + m + ")";
        }
        if (lower.contains("unsupported or unrecognized ssl message") || lower.contains("plaintext")) {
            return "peer does not speak TLS: is TLS enabled on both sides? (" + m + ")";
        }
        if (lower.contains("protocol_version") || lower.contains("no appropriate protocol")) {
            return "no TLS version in common (" + m + ")";
        }
        return m;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
