package io.xbzrle.migration.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A 64-bit fingerprint of a page: four lanes of multiply-rotate over its little-endian longs, then
 * an avalanche (the shape of xxHash64; not its value). The same bytes give the same fingerprint
 * whether they are read from a buffer or an array. Never 0, so 0 can mean "not known".
 */
final class Fingerprint {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;

    private Fingerprint() {
    }

    /** The fingerprint of {@code length} bytes (a multiple of 32) of a little-endian buffer. */
    static long of(ByteBuffer buf, int at, int length) {
        long a = P1 + P2;
        long b = P2;
        long c = 0;
        long d = -P1;
        for (int i = at, end = at + length; i < end; i += 32) {
            a = round(a, buf.getLong(i));
            b = round(b, buf.getLong(i + 8));
            c = round(c, buf.getLong(i + 16));
            d = round(d, buf.getLong(i + 24));
        }
        return finish(a, b, c, d, length);
    }

    /** The fingerprint of {@code length} bytes (a multiple of 32) of an array. */
    static long of(byte[] buf, int at, int length) {
        long a = P1 + P2;
        long b = P2;
        long c = 0;
        long d = -P1;
        for (int i = at, end = at + length; i < end; i += 32) {
            a = round(a, (long) LONGS.get(buf, i));
            b = round(b, (long) LONGS.get(buf, i + 8));
            c = round(c, (long) LONGS.get(buf, i + 16));
            d = round(d, (long) LONGS.get(buf, i + 24));
        }
        return finish(a, b, c, d, length);
    }

    private static long round(long acc, long v) {
        return Long.rotateLeft(acc + v * P2, 31) * P1;
    }

    private static long finish(long a, long b, long c, long d, int length) {
        long h = Long.rotateLeft(a, 1) + Long.rotateLeft(b, 7) + Long.rotateLeft(c, 12) + Long.rotateLeft(d, 18)
                + length;
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return h == 0 ? 1 : h;
    }
}
