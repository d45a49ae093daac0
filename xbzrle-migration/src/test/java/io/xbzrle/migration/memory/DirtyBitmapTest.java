package io.xbzrle.migration.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

final class DirtyBitmapTest {

    @RepeatedTest(20)
    void behavesAsABitSet() {
        long seed = new SplittableRandom().nextLong();
        System.out.println("DirtyBitmapTest.behavesAsABitSet seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        int pages = random.nextInt(1, 700);
        DirtyBitmap bitmap = new DirtyBitmap(pages);
        BitSet model = new BitSet(pages);
        for (int op = 0; op < 2000; op++) {
            int page = random.nextInt(pages);
            int what = random.nextInt(100);
            String where = "seed=" + seed + " op=" + op + " page=" + page;
            if (what < 60) {
                bitmap.set(page);
                model.set(page);
            } else if (what < 80) {
                assertEquals(model.get(page), bitmap.get(page), where);
            } else if (what < 95) {
                assertEquals(model.nextSetBit(page), bitmap.nextSetBit(page), where);
            } else if (what < 97) {
                bitmap.clear();
                model.clear();
            } else if (what < 98) {
                bitmap.setAll();
                model.set(0, pages);
            } else {
                assertEquals(model.cardinality(), bitmap.cardinality(), where);
            }
        }
        assertEquals(model.cardinality(), bitmap.cardinality(), "seed=" + seed);
        int n = 0;
        for (long i = bitmap.nextSetBit(0); i >= 0; i = bitmap.nextSetBit(i + 1)) {
            assertTrue(model.get((int) i), "seed=" + seed + " page " + i);
            n++;
        }
        assertEquals(model.cardinality(), n, "seed=" + seed);
    }

    @Test
    void setAllStopsAtTheLastPage() {
        DirtyBitmap bitmap = new DirtyBitmap(70);
        bitmap.setAll();
        assertEquals(70, bitmap.cardinality());
        assertEquals(69, bitmap.nextSetBit(69));
        assertEquals(-1, bitmap.nextSetBit(70));
        assertEquals(-1, bitmap.nextSetBit(1000));
        bitmap.clear();
        assertEquals(-1, bitmap.nextSetBit(0));
        assertEquals(0, bitmap.cardinality());
        assertEquals(70, bitmap.pages());
    }

    @Test
    void rejectsOutOfRange() {
        DirtyBitmap bitmap = new DirtyBitmap(64);
        assertThrows(IndexOutOfBoundsException.class, () -> bitmap.set(64));
        assertThrows(IndexOutOfBoundsException.class, () -> bitmap.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> bitmap.nextSetBit(-1));
        assertThrows(IllegalArgumentException.class, () -> new DirtyBitmap(-1));
        DirtyBitmap empty = new DirtyBitmap(0);
        empty.setAll();
        assertEquals(0, empty.cardinality());
        assertFalse(empty.nextSetBit(0) >= 0);
    }
}
