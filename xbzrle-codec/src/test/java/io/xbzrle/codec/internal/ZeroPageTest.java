package io.xbzrle.codec.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

final class ZeroPageTest {

    @Test
    void findsANonZeroByteAnywhereAndOnlyInsideThePage() {
        XbzrleCodec codec = new XbzrleCodec(4096);
        byte[] slab = new byte[3 * 4096];
        assertTrue(codec.isZeroPage(slab, 4096));
        for (int i = 0; i < 4096; i++) {
            slab[4096 + i] = 1;
            assertFalse(codec.isZeroPage(slab, 4096), "byte " + i);
            slab[4096 + i] = 0;
        }
        slab[4095] = 1;
        slab[8192] = 1;
        assertTrue(codec.isZeroPage(slab, 4096), "bytes outside the page do not count");
    }
}
