package io.xbzrle.migration.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class StreamHeaderTest {
    private static final List<Region> ONE = List.of(new Region(0, "ram", 1));

    @Test
    void regionsAreChecked() {
        assertEquals(new Region(65535, "x".repeat(255), 1), new Region(65535, "x".repeat(255), 1));
        assertThrows(IllegalArgumentException.class, () -> new Region(-1, "a", 1));
        assertThrows(IllegalArgumentException.class, () -> new Region(65536, "a", 1));
        assertThrows(IllegalArgumentException.class, () -> new Region(0, "", 1));
        assertThrows(IllegalArgumentException.class, () -> new Region(0, "é".repeat(128), 1), "256 bytes of UTF-8");
        assertThrows(IllegalArgumentException.class, () -> new Region(0, "\uD800", 1), "unpaired surrogate");
        assertThrows(IllegalArgumentException.class, () -> new Region(0, "a", 0));
        assertThrows(NullPointerException.class, () -> new Region(0, null, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 4096, 65536, 16 << 20})
    void pageSizesThatArePowersOfTwoFrom64To16MiB(int pageSize) {
        assertEquals(pageSize, StreamHeader.v1(pageSize, ONE, true, "xbzrle").pageSize());
        assertEquals(Math.max(256 << 10, pageSize + 64), StreamHeader.frameCapacity(pageSize));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 32, 63, 100, 4097, 32 << 20, -4096})
    void otherPageSizesAreRefused(int pageSize) {
        assertThrows(IllegalArgumentException.class, () -> StreamHeader.v1(pageSize, ONE, true, "xbzrle"));
    }

    @Test
    void headersAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> StreamHeader.v1(4096, List.of(), true, "xbzrle"), "no regions");
        assertThrows(IllegalArgumentException.class,
                () -> StreamHeader.v1(4096, List.of(new Region(1, "a", 1), new Region(1, "b", 1)), true, "x"), "duplicate id");
        assertThrows(IllegalArgumentException.class, () -> StreamHeader.v1(4096, ONE, true, ""), "empty codec");
        assertThrows(IllegalArgumentException.class, () -> StreamHeader.v1(4096, ONE, true, "c".repeat(65)), "long codec");
        assertThrows(IllegalArgumentException.class, () -> new StreamHeader(0, 4096, ONE, true, "x"), "version 0");
        assertThrows(IllegalArgumentException.class,
                () -> StreamHeader.v1(4096, List.of(new Region(0, "a", Long.MAX_VALUE / 4096 + 1)), true, "x"), "bytes overflow");
        assertThrows(NullPointerException.class, () -> StreamHeader.v1(4096, null, true, "x"));
        assertThrows(NullPointerException.class, () -> StreamHeader.v1(4096, ONE, true, null));
        List<Region> many = new ArrayList<>();
        for (int i = 0; i <= 65535; i++) {
            many.add(new Region(i, "r", 1));
        }
        assertThrows(IllegalArgumentException.class, () -> StreamHeader.v1(4096, many, true, "x"), "65536 regions");
    }

    @Test
    void regionsAreCopied() {
        List<Region> regions = new ArrayList<>(ONE);
        StreamHeader h = StreamHeader.v1(4096, regions, false, "xbzrle");
        regions.add(new Region(1, "b", 1));
        assertEquals(1, h.regions().size());
        assertEquals(1, h.totalPages());
    }
}
