package io.xbzrle.cache.lru.internal;

import java.util.SplittableRandom;
import java.util.stream.LongStream;

/** Seeds for randomized tests: a few fixed ones and one new per run, or {@code -Dxbzrle.test.seed}. */
final class Seeds {

    private Seeds() {
    }

    static LongStream seeds() {
        Long fixed = Long.getLong("xbzrle.test.seed");
        if (fixed != null) {
            return LongStream.of(fixed);
        }
        return LongStream.of(1L, 0x5eedL, 20260101L, new SplittableRandom().nextLong());
    }
}
