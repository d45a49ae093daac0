package io.xbzrle.migration.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class RamFileMemoryTest {

    private static final int PAGE = 4096;

    @TempDir
    Path dir;

    private static byte[] random(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static void writeAt(Path file, long position, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), position);
        }
    }

    private static List<Long> dirtyPages(DirtyBitmap bitmap) {
        List<Long> pages = new ArrayList<>();
        for (long p = bitmap.nextSetBit(0); p >= 0; p = bitmap.nextSetBit(p + 1)) {
            pages.add(p);
        }
        return pages;
    }

    @Test
    void findsExactlyThePagesThatChanged() throws IOException {
        long seed = new SplittableRandom().nextLong();
        System.out.println("RamFileMemoryTest.findsExactlyThePagesThatChanged seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        Path file = dir.resolve("ram");
        int pages = 300;
        Files.write(file, random(random, pages * PAGE));
        try (RamFileMemory memory = RamFileMemory.open(file, PAGE)) {
            assertEquals(pages, memory.pageCount());
            assertEquals("ram", memory.name());
            DirtyBitmap dirty = new DirtyBitmap(pages);
            memory.syncDirtyLog(dirty);
            assertEquals(pages, dirty.cardinality(), "every page is dirty at the first sync");
            memory.syncDirtyLog(dirty);
            assertEquals(0, dirty.cardinality(), "nothing changed");

            TreeSet<Long> changed = new TreeSet<>();
            for (int k = 0; k < 12; k++) {
                changed.add((long) random.nextInt(pages));
            }
            changed.add(0L);
            changed.add(pages - 1L);
            for (long p : changed) {
                byte[] one = {(byte) (random.nextInt(255) + 1)};
                int at = random.nextInt(PAGE);
                byte[] old = new byte[1];
                ByteBuffer.wrap(Files.readAllBytes(file)).get((int) p * PAGE + at, old);
                one[0] ^= old[0];
                writeAt(file, p * PAGE + at, one);
            }
            memory.syncDirtyLog(dirty);
            assertEquals(List.copyOf(changed), dirtyPages(dirty), "seed=" + seed);
            byte[] page = new byte[PAGE];
            byte[] expected = Files.readAllBytes(file);
            for (long p : changed) {
                memory.readPage(p, page, 0);
                assertArrayEquals(Arrays.copyOfRange(expected, (int) p * PAGE, (int) (p + 1) * PAGE), page);
            }
            memory.syncDirtyLog(dirty);
            assertEquals(0, dirty.cardinality());
        }
    }

    /** Changed and changed back between a sync and the copy: the copy sent differs, so it is dirty again. */
    @Test
    void aPageChangedBackAfterItsCopyIsStillDirty() throws IOException {
        Path file = dir.resolve("ram");
        byte[] a = new byte[PAGE];
        byte[] b = new byte[PAGE];
        b[100] = 1;
        Files.write(file, new byte[8 * PAGE]);
        try (RamFileMemory memory = RamFileMemory.open(file, "pc.ram", PAGE)) {
            assertEquals("pc.ram", memory.name());
            DirtyBitmap dirty = new DirtyBitmap(8);
            memory.syncDirtyLog(dirty); // page 5 holds a
            writeAt(file, 5 * PAGE, b);
            memory.readPage(5, new byte[PAGE], 0); // the pipeline copies b
            writeAt(file, 5 * PAGE, a); // and the guest restores a
            memory.syncDirtyLog(dirty);
            assertEquals(List.of(5L), dirtyPages(dirty));
        }
    }

    @Test
    void refusesAFileThatIsNotAWholeNumberOfPages() throws IOException {
        Path file = dir.resolve("odd.ram");
        Files.write(file, new byte[3 * PAGE + 1]);
        IOException e = assertThrows(IOException.class, () -> RamFileMemory.open(file, PAGE));
        assertEquals(file + ": size 12289 bytes is not a whole number of 4096-byte pages", e.getMessage());
        Path empty = Files.createFile(dir.resolve("empty"));
        IOException none = assertThrows(IOException.class, () -> RamFileMemory.open(empty, PAGE));
        assertTrue(none.getMessage().startsWith(empty.toString()), none.getMessage());
        IOException missing = assertThrows(IOException.class, () -> RamFileMemory.open(dir.resolve("none"), PAGE));
        assertEquals(dir.resolve("none") + ": cannot open: no such file", missing.getMessage());
        IOException folder = assertThrows(IOException.class, () -> RamFileMemory.open(dir, PAGE));
        assertEquals(dir + ": not a regular file", folder.getMessage());
    }

    @Test
    void pauseAndThrottleOnlyRecordTheRequest() throws IOException {
        Path file = dir.resolve("ram");
        Files.write(file, new byte[2 * PAGE]);
        RamFileMemory memory = RamFileMemory.open(file, PAGE);
        assertFalse(memory.paused());
        memory.pause();
        assertTrue(memory.paused());
        memory.throttle(0.5);
        assertThrows(IllegalArgumentException.class, () -> memory.throttle(1.5));
        memory.resume();
        assertFalse(memory.paused());
        memory.close();
        assertThrows(IllegalStateException.class, () -> memory.readPage(0, new byte[PAGE], 0));
    }
}
