package io.xbzrle.transport.tcp.internal;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code xbzrle.transport.tcp.tls} settings. {@link #toString()} hides the passwords.
 *
 * @param enabled whether connections use TLS with mutual authentication
 * @param keyStore this side's key and certificate chain; present when enabled
 * @param keyStorePassword its password
 * @param keyStoreType PKCS12 or JKS
 * @param trustStore the certificate authorities trusted for the peer; present when enabled
 * @param trustStorePassword its password
 * @param trustStoreType PKCS12 or JKS
 * @param verifyHostname whether the source checks the destination's certificate names its host
 * @param warmUpBytes how many bytes the warm-up sends through a loopback TLS connection, 0 for none
 */
record TlsSettings(
        boolean enabled,
        Optional<Path> keyStore,
        String keyStorePassword,
        String keyStoreType,
        Optional<Path> trustStore,
        String trustStorePassword,
        String trustStoreType,
        boolean verifyHostname,
        long warmUpBytes) {

    /**
     * Only TLS 1.3: {@code finish()} half-closes the connection (close_notify, then the return path
     * still carries the destination's answer), which TLS 1.2 cannot do.
     */
    static final String PROTOCOL = "TLSv1.3";

    TlsSettings {
        requireNonNull(keyStore, "keyStore is null");
        requireNonNull(keyStorePassword, "keyStorePassword is null");
        requireNonNull(keyStoreType, "keyStoreType is null");
        requireNonNull(trustStore, "trustStore is null");
        requireNonNull(trustStorePassword, "trustStorePassword is null");
        requireNonNull(trustStoreType, "trustStoreType is null");
    }

    static TlsSettings from(Settings s) {
        s.rejectUnknownKeys(Set.of("enabled", "key-store", "key-store-password", "key-store-type",
                "trust-store", "trust-store-password", "trust-store-type", "verify-hostname", "warm-up"));
        boolean enabled = s.bool("enabled", false);
        Optional<Path> keyStore = path(s, "key-store");
        Optional<Path> trustStore = path(s, "trust-store");
        if (enabled && keyStore.isEmpty()) {
            throw new IllegalArgumentException(s.path("key-store")
                    + ": required when TLS is enabled (mutual authentication needs this side's certificate)");
        }
        if (enabled && trustStore.isEmpty()) {
            throw new IllegalArgumentException(s.path("trust-store")
                    + ": required when TLS is enabled (the certificate authorities trusted for the peer)");
        }
        return new TlsSettings(enabled,
                keyStore, s.string("key-store-password", ""), storeType(s, "key-store-type"),
                trustStore, s.string("trust-store-password", ""), storeType(s, "trust-store-type"),
                s.bool("verify-hostname", true), s.intBytes("warm-up", 256 << 20));
    }

    private static Optional<Path> path(Settings s, String key) {
        String value = s.string(key, "").trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(Path.of(value));
    }

    private static String storeType(Settings s, String key) {
        String type = s.string(key, "PKCS12").trim();
        if (!type.equalsIgnoreCase("PKCS12") && !type.equalsIgnoreCase("JKS")) {
            throw new IllegalArgumentException(s.path(key) + ": must be PKCS12 or JKS, got '" + type + "'");
        }
        return type.toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return "TlsSettings[enabled=" + enabled + ", keyStore=" + keyStore + ", keyStoreType=" + keyStoreType
                + ", trustStore=" + trustStore + ", trustStoreType=" + trustStoreType + ", verifyHostname=" + verifyHostname + ", passwords hidden]";
    }
}
