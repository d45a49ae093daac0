package io.xbzrle.transport.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class TcpSettingsTest {

    @Test
    void defaultsAreThoseOfReferenceConf() {
        TcpSettings defaults = TcpSettings.from(ConfigFactory.empty());
        assertEquals(defaults, TcpSettings.from(ConfigFactory.defaultReference().getConfig("xbzrle.transport.tcp")));
        assertEquals(new TcpSettings(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ZERO, 0, 0,
                new TlsSettings(false, Optional.empty(), "", "PKCS12", Optional.empty(), "", "PKCS12", true,
                        256 << 20)),
                defaults);
    }

    @Test
    void everyKeyIsRead() {
        TcpSettings s = TcpSettings.from(ConfigFactory.parseString("""
                connect-timeout = 2s, io-timeout = 750ms, accept-timeout = 1m
                send-buffer = 1m, receive-buffer = 256k
                tls { enabled = false, key-store = /k.p12, key-store-password = a, key-store-type = jks
                      trust-store = /t.p12, trust-store-password = b, trust-store-type = PKCS12
                      verify-hostname = false, warm-up = 16m }
                """));
        assertEquals(new TcpSettings(Duration.ofSeconds(2), Duration.ofMillis(750), Duration.ofMinutes(1),
                1 << 20, 256 << 10,
                new TlsSettings(false, Optional.of(Path.of("/k.p12")), "a", "JKS", Optional.of(Path.of("/t.p12")),
                        "b", "PKCS12", false, 16 << 20)), s);
        assertFalse(s.tls().toString().contains("a,"), s.tls().toString());
    }

    @Test
    void invalidValuesNameTheirKey() {
        Map<String, String> bad = Map.of(
                "io-timeout = lots", "xbzrle.transport.tcp.io-timeout: ",
                "io-timeout = 0s", "xbzrle.transport.tcp.io-timeout: must be > 0",
                "connect-timeout = -1s", "xbzrle.transport.tcp.connect-timeout: must be > 0",
                "send-buffer = huge", "xbzrle.transport.tcp.send-buffer: ",
                "receive-buffer = 4g", "xbzrle.transport.tcp.receive-buffer: must be between",
                "io-timout = 1s", "unknown setting xbzrle.transport.tcp.io-timout",
                "tls.protocols = [TLSv1.2]", "unknown setting xbzrle.transport.tcp.tls.protocols",
                "tls.enabled = true", "xbzrle.transport.tcp.tls.key-store: required when TLS is enabled",
                "tls.enabled = true, tls.key-store = /k", "xbzrle.transport.tcp.tls.trust-store: required",
                "tls.key-store-type = PEM", "xbzrle.transport.tcp.tls.key-store-type: must be PKCS12 or JKS");
        bad.forEach((setting, message) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new TcpTransportProvider().create(ConfigFactory.parseString(setting)), setting);
            assertTrue(e.getMessage().startsWith(message), setting + " -> " + e.getMessage());
        });
    }

    @Test
    void unreadableKeyStoresFailAtStartUpNamingTheirKey(@TempDir Path dir) throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> new TcpTransportProvider().create(ConfigFactory.parseMap(Map.of("tls.enabled", true,
                        "tls.key-store", dir.resolve("none.p12").toString(), "tls.trust-store", "/t"))));
        assertEquals("xbzrle.transport.tcp.tls.key-store: no such file " + dir.resolve("none.p12"),
                missing.getMessage());
        Path garbage = java.nio.file.Files.writeString(dir.resolve("garbage.p12"), "not a key store");
        IllegalArgumentException unreadable = assertThrows(IllegalArgumentException.class,
                () -> new TcpTransportProvider().create(ConfigFactory.parseMap(Map.of("tls.enabled", true,
                        "tls.key-store", garbage.toString(), "tls.trust-store", "/t"))));
        assertTrue(unreadable.getMessage().startsWith("xbzrle.transport.tcp.tls.key-store: cannot read " + garbage),
                unreadable.getMessage());
    }

    @Test
    void addressesParseIpv4Ipv6AndHostNames() {
        assertEquals(new TcpAddress("127.0.0.1", 4444), TcpAddress.parse(URI.create("tcp://127.0.0.1:4444"), false));
        assertEquals(new TcpAddress("::1", 4444), TcpAddress.parse(URI.create("tcp://[::1]:4444"), false));
        assertEquals(new TcpAddress("fe80::1", 1), TcpAddress.parse(URI.create("TCP://[fe80::1]:1/"), false));
        assertEquals(new TcpAddress("dest.example", 80), TcpAddress.parse(URI.create("tcp://dest.example:80"), false));
        assertEquals(new TcpAddress("localhost", 0), TcpAddress.parse(URI.create("tcp://localhost:0"), true));
        assertEquals(URI.create("tcp://[::1]:4444"), new TcpAddress("::1", 4444).uri());
        assertEquals(URI.create("tcp://127.0.0.1:4444"), new TcpAddress("127.0.0.1", 4444).uri());
        for (String bad : List.of("tcp://:4444", "tcp://h", "tcp://h:0", "tcp://h:1?x", "tcp://h:1#x", "tcp:h:1",
                "tcp://under_score:1")) {
            assertThrows(IllegalArgumentException.class, () -> TcpAddress.parse(URI.create(bad), false), bad);
        }
    }
}
