package io.xbzrle.transport.tcp.internal;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code xbzrle.transport.tcp} settings, read and checked once. Defaults equal those of the
 * module's {@code reference.conf}, so a missing key means its default.
 *
 * @param connectTimeout longest wait to connect, TLS handshake included; positive
 * @param ioTimeout longest time a read or write may make no progress; positive
 * @param acceptTimeout longest wait in {@code accept()}; zero waits until the listener closes
 * @param sendBuffer SO_SNDBUF in bytes, 0 for the OS default
 * @param receiveBuffer SO_RCVBUF in bytes, 0 for the OS default
 * @param tls the TLS settings
 */
record TcpSettings(
        Duration connectTimeout,
        Duration ioTimeout,
        Duration acceptTimeout,
        int sendBuffer,
        int receiveBuffer,
        TlsSettings tls) {

    static final String PREFIX = "xbzrle.transport.tcp";
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_IO_TIMEOUT = Duration.ofSeconds(30);

    TcpSettings {
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(ioTimeout, "ioTimeout is null");
        requireNonNull(acceptTimeout, "acceptTimeout is null");
        requireNonNull(tls, "tls is null");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || ioTimeout.isNegative() || ioTimeout.isZero()
                || acceptTimeout.isNegative()) {
            throw new IllegalArgumentException("timeouts must be positive (accept-timeout >= 0)");
        }
        if (sendBuffer < 0 || receiveBuffer < 0) {
            throw new IllegalArgumentException("buffer sizes must be >= 0");
        }
    }

    /** Reads the {@code xbzrle.transport.tcp} subtree; messages name the offending key. */
    static TcpSettings from(Config config) {
        Settings s = new Settings(requireNonNull(config, "config is null"), PREFIX);
        s.rejectUnknownKeys(Set.of("connect-timeout", "io-timeout", "accept-timeout", "send-buffer",
                "receive-buffer", "tls"));
        return new TcpSettings(
                s.duration("connect-timeout", DEFAULT_CONNECT_TIMEOUT, false),
                s.duration("io-timeout", DEFAULT_IO_TIMEOUT, false),
                s.duration("accept-timeout", Duration.ZERO, true),
                s.intBytes("send-buffer", 0),
                s.intBytes("receive-buffer", 0),
                TlsSettings.from(s.sub("tls")));
    }

    /** A duration as a user writes it: {@code 30s}, {@code 500ms}. */
    static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }
}
