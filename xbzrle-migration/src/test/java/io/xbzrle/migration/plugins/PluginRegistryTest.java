package io.xbzrle.migration.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xbzrle.api.codec.CodecProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class PluginRegistryTest {

    @Test
    void findsTheBuiltInCodecInItsModule() {
        PluginRegistry registry = PluginRegistry.builtIn();
        Plugin<CodecProvider> codec = registry.codecs().stream().filter(p -> p.name().equals("xbzrle")).findFirst()
                .orElseThrow();
        assertEquals("io.xbzrle.codec", codec.module());
        assertEquals(PluginRegistry.BUILT_IN, codec.origin());
        assertSame(codec.provider(), registry.codec("XBZRLE"), "names compare case-insensitively");
        assertTrue(registry.problems().isEmpty(), registry.problems().toString());
    }

    @Test
    void unknownNamesListWhatIsAvailable() {
        PluginRegistry registry = PluginRegistry.builtIn();
        PluginException e = assertThrows(PluginException.class, () -> registry.codec("xbzrel"));
        assertEquals("No codec named 'xbzrel'; available: xbzrle", e.getMessage());
        PluginException t = assertThrows(PluginException.class, () -> registry.transport("ftp"));
        assertTrue(t.getMessage().startsWith("No transport named 'ftp'; available: "), t.getMessage());
    }

    @Test
    void aPluginsFolderWithJunkReportsItAndKeepsTheBuiltIns(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("junk.jar"), new byte[] {0x50, 0x4b, 1, 2});
        Files.writeString(dir.resolve("notes.txt"), "not a plugin");
        PluginRegistry registry = PluginRegistry.load(Optional.of(dir));
        assertEquals(1, registry.problems().size(), registry.problems().toString());
        assertTrue(registry.problems().get(0).startsWith("plugins/junk.jar: "), registry.problems().get(0));
        assertEquals("xbzrle", registry.codecs().get(0).name());
    }

    @Test
    void anAbsentPluginsFolderIsNoProblem(@TempDir Path dir) {
        PluginRegistry registry = PluginRegistry.load(Optional.of(dir.resolve("none")));
        assertTrue(registry.problems().isEmpty());
        assertTrue(registry.pluginLoaders().isEmpty());
    }
}
