package io.xbzrle.migration.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class SettingsLoaderTest {
    private final SettingsLoader loader = new SettingsLoader(List.of());

    @Test
    void defaultsComeFromTheReference() {
        Config c = loader.load(Optional.empty(), Optional.empty(), new Properties(), Map.of());
        assertEquals(4096, c.getInt("xbzrle.page-size"));
        assertEquals("xbzrle", c.getString("xbzrle.codec"));
        assertEquals("aging", c.getString("xbzrle.cache.policy"));
        assertEquals(64L << 20, c.getBytes("xbzrle.cache.size"));
    }

    @Test
    void precedenceIsApplicationThenFileThenPropertiesThenFlags(@TempDir Path dir) throws Exception {
        Path app = Files.writeString(dir.resolve("application.conf"),
                "xbzrle.cache.size = 1m\nxbzrle.cache.policy = lru\nxbzrle.page-size = 8192\nxbzrle.codec = a\n");
        Path file = Files.writeString(dir.resolve("my.conf"),
                "xbzrle.cache.policy = aging\nxbzrle.page-size = 16384\nxbzrle.codec = b\n");
        Properties props = new Properties();
        props.setProperty("xbzrle.page-size", "32768");
        props.setProperty("xbzrle.codec", "c");
        props.setProperty("java.version", "ignored");
        Config c = loader.load(Optional.of(app), Optional.of(file), props, Map.of("xbzrle.codec", "d"));
        assertEquals(1L << 20, c.getBytes("xbzrle.cache.size"), "application.conf");
        assertEquals("aging", c.getString("xbzrle.cache.policy"), "--config over application.conf");
        assertEquals(32768, c.getInt("xbzrle.page-size"), "-D over --config");
        assertEquals("d", c.getString("xbzrle.codec"), "flags over -D");
    }

    @Test
    void unknownKeysAreNamedWithTheirOrigin(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("typo.conf"), "xbzrle {\n  cache.szie = 1m\n}\n");
        SettingsException e = assertThrows(SettingsException.class,
                () -> loader.load(Optional.empty(), Optional.of(file), new Properties(), Map.of()));
        assertTrue(e.getMessage().contains("'xbzrle.cache.szie'") && e.getMessage().contains("typo.conf"),
                e.getMessage());
    }

    @Test
    void wrongTypesAndMissingFilesFailByName(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bad.conf"), "xbzrle.page-size = lots\n");
        SettingsException e = assertThrows(SettingsException.class,
                () -> loader.load(Optional.empty(), Optional.of(file), new Properties(), Map.of()));
        assertTrue(e.getMessage().contains("page-size"), e.getMessage());
        SettingsException missing = assertThrows(SettingsException.class, () -> loader.load(Optional.empty(),
                Optional.of(dir.resolve("nope.conf")), new Properties(), Map.of()));
        assertEquals("config file " + dir.resolve("nope.conf") + ": not found", missing.getMessage());
        Path broken = Files.writeString(dir.resolve("broken.conf"), "xbzrle { page-size = \n");
        SettingsException parse = assertThrows(SettingsException.class,
                () -> loader.load(Optional.empty(), Optional.of(broken), new Properties(), Map.of()));
        assertTrue(parse.getMessage().startsWith("config file " + broken), parse.getMessage());
    }

    @Test
    void anAbsentApplicationConfIsFine(@TempDir Path dir) {
        Config c = loader.load(Optional.of(dir.resolve("none.conf")), Optional.empty(), new Properties(), Map.of());
        assertEquals(4096, c.getInt("xbzrle.page-size"));
    }
}
