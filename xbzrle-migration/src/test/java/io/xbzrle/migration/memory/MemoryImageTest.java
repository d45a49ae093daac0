package io.xbzrle.migration.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class MemoryImageTest {

    private static final int PAGE = 4096;

    @TempDir
    Path dir;

    /** Random writes and zeroings against a byte[] model. */
    private static void roundTrip(MemoryImage image, String what) {
        long seed = new SplittableRandom().nextLong();
        System.out.println("MemoryImageTest." + what + " seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        int pages = Math.toIntExact(image.pageCount());
        byte[] model = new byte[pages * PAGE];
        byte[] src = new byte[3 * PAGE];
        for (int op = 0; op < 500; op++) {
            int page = random.nextInt(pages);
            if (random.nextInt(4) == 0) {
                image.zeroPage(page);
                Arrays.fill(model, page * PAGE, (page + 1) * PAGE, (byte) 0);
            } else {
                random.nextBytes(src);
                int off = random.nextInt(2 * PAGE);
                image.writePage(page, src, off);
                System.arraycopy(src, off, model, page * PAGE, PAGE);
            }
        }
        byte[] page = new byte[PAGE + 5];
        for (int p = 0; p < pages; p++) {
            image.readPage(p, page, 5);
            assertArrayEquals(Arrays.copyOfRange(model, p * PAGE, (p + 1) * PAGE), Arrays.copyOfRange(page, 5,
                    PAGE + 5), "seed=" + seed + " page " + p);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> image.readPage(pages, page, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> image.writePage(-1, page, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> image.writePage(0, page, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> image.zeroPage(pages));
    }

    @Test
    void heapImageRoundTrip() {
        try (HeapImage image = new HeapImage(PAGE, 64)) {
            roundTrip(image, "heapImageRoundTrip");
        }
    }

    @Test
    void directImageRoundTrip() {
        try (DirectImage image = new DirectImage(PAGE, 64)) {
            roundTrip(image, "directImageRoundTrip");
        }
        DirectImage big = new DirectImage(65536, 8); // pages larger than the zeroing buffer
        byte[] page = new byte[65536];
        Arrays.fill(page, (byte) 7);
        big.writePage(3, page, 0);
        big.zeroPage(3);
        big.readPage(3, page, 0);
        assertArrayEquals(new byte[65536], page, "a zeroed 64 KiB page is all zero");
        big.close();
        assertThrows(IllegalStateException.class, () -> big.readPage(0, page, 0));
    }

    @Test
    void heapImageAcrossSlabs() {
        long pages = (64 << 20) / PAGE + 2;
        HeapImage image = new HeapImage(PAGE, pages);
        byte[] page = new byte[PAGE];
        for (long p = pages - 4; p < pages; p++) {
            Arrays.fill(page, (byte) p);
            image.writePage(p, page, 0);
        }
        for (long p = pages - 4; p < pages; p++) {
            image.readPage(p, page, 0);
            assertEquals((byte) p, page[PAGE - 1], "page " + p);
        }
        image.close();
        image.close();
        assertThrows(IllegalStateException.class, () -> image.readPage(0, page, 0));
    }

    @Test
    void fileImageRoundTripAndDurability() throws IOException {
        Path file = dir.resolve("dest.ram");
        try (FileImage image = FileImage.open(file, PAGE, 40)) {
            assertEquals(40L * PAGE, Files.size(file), "created at the guest's size");
            roundTrip(image, "fileImageRoundTripAndDurability");
            image.force();
            byte[] page = new byte[PAGE];
            image.readPage(39, page, 0);
            byte[] onDisk = Files.readAllBytes(file);
            assertArrayEquals(page, Arrays.copyOfRange(onDisk, 39 * PAGE, 40 * PAGE));
        }
    }

    @Test
    void fileImageSetsTheLengthOfAnExistingFile() throws IOException {
        Path file = dir.resolve("dest.ram");
        Files.write(file, new byte[100 * PAGE + 17]);
        try (FileImage image = FileImage.open(file, PAGE, 10)) {
            assertEquals(10L * PAGE, Files.size(file), "cut");
        }
        byte[] page = new byte[PAGE];
        page[0] = 42;
        try (FileImage image = FileImage.open(file, PAGE, 20)) {
            assertEquals(20L * PAGE, Files.size(file), "extended");
            image.writePage(19, page, 0);
        }
        try (FileImage image = FileImage.open(file, PAGE, 20)) {
            byte[] read = new byte[PAGE];
            image.readPage(19, read, 0);
            assertArrayEquals(page, read, "kept");
            image.readPage(15, read, 0);
            assertArrayEquals(new byte[PAGE], read, "extended pages read as zero");
        }
    }

    @Test
    void fileImageErrorsNameTheFile() throws IOException {
        IOException folder = assertThrows(IOException.class, () -> FileImage.open(dir, PAGE, 1));
        assertEquals(dir + ": not a regular file", folder.getMessage());
        Path missingParent = dir.resolve("no/such/dir/ram");
        IOException e = assertThrows(IOException.class, () -> FileImage.open(missingParent, PAGE, 1));
        assertEquals(missingParent + ": cannot create or open: no such file", e.getMessage());
        FileImage image = FileImage.open(dir.resolve("x"), PAGE, 1);
        image.close();
        image.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, image::force);
        assertEquals(dir.resolve("x") + ": memory image is closed", closed.getMessage());
    }

    @Test
    void digestsOfIdenticalMemoryMatchAndOfDifferentMemoryDiffer() throws IOException {
        SyntheticGuest.Spec spec = SyntheticGuest.Spec.of(2 << 20, Workload.SPARSE_RANDOM).withPagesPerSecond(0);
        try (SyntheticGuest guest = SyntheticGuest.start(spec);
                HeapImage heap = new HeapImage(PAGE, guest.pageCount());
                FileImage file = FileImage.open(dir.resolve("ram"), PAGE, guest.pageCount())) {
            guest.pause();
            byte[] page = new byte[PAGE];
            for (long p = 0; p < guest.pageCount(); p++) {
                guest.readPage(p, page, 0);
                heap.writePage(p, page, 0);
                file.writePage(p, page, 0);
            }
            byte[] source = MemoryDigest.sha256(guest);
            assertEquals(32, source.length);
            assertArrayEquals(source, MemoryDigest.sha256(heap));
            assertArrayEquals(source, MemoryDigest.sha256(file));
            assertEquals(MemoryDigest.sha256Hex(guest), MemoryDigest.sha256Hex(file));
            file.readPage(100, page, 0);
            page[4000] ^= 1;
            file.writePage(100, page, 0);
            assertFalse(Arrays.equals(source, MemoryDigest.sha256(file)));
            Arrays.fill(page, (byte) 0x5a);
            heap.writePage(0, page, 0);
            assertFalse(Arrays.equals(source, MemoryDigest.sha256(heap)));
        }
    }

    @Test
    void theDigestOfAnEmptyImageIsSha256OfNothing() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                MemoryDigest.sha256Hex(new HeapImage(PAGE, 0)));
    }
}
