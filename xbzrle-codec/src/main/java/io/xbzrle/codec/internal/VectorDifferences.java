package io.xbzrle.codec.internal;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 64-byte difference mask through the JDK's Vector API (one compare and one mask move on
 * AVX-512). Loaded only when the runtime offers {@code jdk.incubator.vector} (it is resolved only
 * when asked for, with {@code --add-modules jdk.incubator.vector}); otherwise the scalar mask of
 * {@link XbzrleCodec} is used. Both give the same mask, so the codec's output does not change.
 */
final class VectorDifferences {
    private static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    private VectorDifferences() {
    }

    /** Whether this runtime has vectors of at least 16 bytes (otherwise scalar is faster). */
    static boolean useful() {
        return LANES >= 16 && LANES <= 64;
    }

    /** Bit k is set where byte {@code base + k} differs. */
    static long differences(byte[] old, int oo, byte[] cur, int co, int base) {
        if (LANES == 64) {
            return ByteVector.fromArray(SPECIES, old, oo + base)
                    .compare(VectorOperators.NE, ByteVector.fromArray(SPECIES, cur, co + base)).toLong();
        }
        long mask = 0;
        for (int k = 0; k < 64; k += LANES) {
            long part = ByteVector.fromArray(SPECIES, old, oo + base + k)
                    .compare(VectorOperators.NE, ByteVector.fromArray(SPECIES, cur, co + base + k)).toLong();
            mask |= part << k;
        }
        return mask;
    }
}
