package io.xbzrle.migration.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.xbzrle.migration.config.SettingsException;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class MigrationSettingsTest {
    private static Config with(String key, Object value) {
        return ConfigFactory.parseMap(Map.of(key, value)).withFallback(ConfigFactory.parseResources(
                MigrationSettings.class, "/reference.conf")).resolve();
    }

    @Test
    void streamThreadsAutoFollowsTheProcessorCount() {
        assertFalse(MigrationSettings.streamThreads("auto", 2), "2 cores: the link needs them");
        assertTrue(MigrationSettings.streamThreads("auto", 4));
        assertTrue(MigrationSettings.streamThreads("on", 1));
        assertTrue(MigrationSettings.streamThreads("true", 1));
        assertFalse(MigrationSettings.streamThreads("off", 64));
        assertFalse(MigrationSettings.streamThreads("false", 64));
    }

    @Test
    void streamThreadsAreReadFromTheConfiguration() {
        assertTrue(MigrationSettings.from(with("xbzrle.migration.stream-threads", "on")).streamThreads());
        assertFalse(MigrationSettings.from(with("xbzrle.migration.stream-threads", false)).streamThreads());
        assertEquals(Runtime.getRuntime().availableProcessors() >= MigrationSettings.STREAM_THREADS_MIN_PROCESSORS,
                MigrationSettings.from(with("xbzrle.migration.timeout", "0")).streamThreads(), "the default is auto");
    }

    @Test
    void aBadStreamThreadsValueIsNamed() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> MigrationSettings.from(with("xbzrle.migration.stream-threads", "sometimes")));
        assertEquals("xbzrle.migration.stream-threads: must be auto, on or off, not 'sometimes'", e.getMessage());
    }
}
