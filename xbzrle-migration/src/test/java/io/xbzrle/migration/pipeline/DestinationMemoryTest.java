package io.xbzrle.migration.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.xbzrle.migration.config.SettingsException;
import io.xbzrle.migration.memory.MemoryImage;
import org.junit.jupiter.api.Test;

/** The destination's memory budget: images are held against it until closed, and a guest too big is refused. */
final class DestinationMemoryTest {
    private static final int PAGE = 4096;

    @Test
    void imagesAreHeldUntilClosedAndWhatDoesNotFitIsRefusedWithTheSizes() {
        DestinationMemory budget = new DestinationMemory(1 << 20, "test");
        MemoryImage a = budget.image(PAGE, 128); // 512 KiB
        assertEquals(512 << 10, budget.held());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> budget.image(PAGE, 160));
        assertTrue(e.getMessage().contains("640k (655360 bytes)"), e.getMessage());
        assertTrue(e.getMessage().contains("1m (test)"), e.getMessage());
        assertTrue(e.getMessage().contains("migrations in progress hold 512k"), e.getMessage());
        assertTrue(e.getMessage().contains(DestinationMemory.KEY), e.getMessage());
        assertEquals(512 << 10, budget.held(), "a refusal holds nothing");
        a.close();
        a.close();
        assertEquals(0, budget.held(), "closing gives the bytes back, once");
        try (MemoryImage b = budget.image(PAGE, 256)) {
            assertEquals(256, b.pageCount());
            byte[] page = new byte[PAGE];
            page[7] = 9;
            b.writePage(255, page, 0);
            byte[] back = new byte[PAGE];
            b.readPage(255, back, 0);
            assertEquals(9, back[7]);
            assertEquals(1 << 20, budget.held(), "the whole budget");
        }
        assertEquals(0, budget.held());
    }

    @Test
    void autoWeighsEachGuestAgainstTheMemoryAvailableNowLessTheMargin() {
        long[] available = {10L << 20};
        DestinationMemory auto = new DestinationMemory(() -> available[0], 1L << 20);
        try (MemoryImage a = auto.image(PAGE, 2048)) { // 8 MiB of the 9 left
            assertEquals(0, auto.held(), "once made, the machine's own figure counts it");
            available[0] -= 8L << 20; // as the zero-filled image now takes it
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> auto.image(PAGE, 512));
            assertTrue(e.getMessage().contains("2m (2097152 bytes), does not fit in what this destination has "
                    + "available: 1m"), e.getMessage());
            assertTrue(e.getMessage().contains("auto: the machine's available memory less 1m"), e.getMessage());
            assertEquals(0, auto.held(), "a refusal holds nothing");
        }
    }

    @Test
    void theSettingTakesAutoOrASize() {
        DestinationMemory auto = DestinationMemory.from(ConfigFactory.parseString(DestinationMemory.KEY + " = auto"));
        auto.image(PAGE, 1).close();
        long machine = DestinationMemory.machineMemory();
        long now = DestinationMemory.availableMemory();
        assertTrue(machine > 0 && now > 0 && now <= machine, "available " + now + " of " + machine);
        assertThrows(IllegalStateException.class, () -> auto.image(PAGE, machine / PAGE + 1),
                "a guest bigger than the machine");

        DestinationMemory sized = DestinationMemory.from(ConfigFactory.parseString(DestinationMemory.KEY + " = 8m"));
        assertThrows(IllegalStateException.class, () -> sized.image(PAGE, 2049));
        sized.image(PAGE, 2048).close();

        SettingsException bad = assertThrows(SettingsException.class,
                () -> DestinationMemory.from(ConfigFactory.parseString(DestinationMemory.KEY + " = lots")));
        assertTrue(bad.getMessage().startsWith(DestinationMemory.KEY + ": must be auto or a size"), bad.getMessage());
    }
}
