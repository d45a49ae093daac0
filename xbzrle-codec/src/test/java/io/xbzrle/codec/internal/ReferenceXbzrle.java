package io.xbzrle.codec.internal;

/**
 * A plain, byte-at-a-time restatement of QEMU's scalar encoder and its decoder (QEMU-NOTES §1-3),
 * written for clarity, not speed: the oracle the fast codec is tested against. Lengths above 0x3FFF
 * use full ULEB128 (QEMU would abort; only pages above 16 KiB need them).
 */
final class ReferenceXbzrle {
    private ReferenceXbzrle() {
    }

    /**
     * Encodes with QEMU's checks at QEMU's places; writes nothing at or past {@code dlen}. For
     * pages of up to 16 KiB a length past 0x3FFF (where QEMU aborts) gives -1.
     */
    static int encode(byte[] oldPage, byte[] newPage, int slen, byte[] dst, int dlen) {
        int maxLength = slen <= 16384 ? 0x3FFF : Integer.MAX_VALUE;
        int d = 0;
        int i = 0;
        int zrun = 0;
        while (i < slen) {
            if (d + 2 > dlen) {
                return -1;
            }
            while (i < slen && oldPage[i] == newPage[i]) {
                zrun++;
                i++;
            }
            if (zrun == slen) {
                return 0;
            }
            if (i == slen) {
                return d;
            }
            if (d + uleb(zrun) > dlen || zrun > maxLength) {
                return -1; // only reachable with lengths past 2 bytes
            }
            d = put(dst, d, zrun);
            zrun = 0;
            int start = i;
            if (d + 2 > dlen) {
                return -1;
            }
            while (i < slen && oldPage[i] != newPage[i]) {
                i++;
            }
            int nzrun = i - start;
            if (d + uleb(nzrun) > dlen || nzrun > maxLength) {
                return -1;
            }
            d = put(dst, d, nzrun);
            if (d + nzrun > dlen) {
                return -1;
            }
            System.arraycopy(newPage, start, dst, d, nzrun);
            d += nzrun;
        }
        return d;
    }

    /**
     * QEMU's decoder: -1 for any invalid input; otherwise the offset past the last byte written.
     * A length takes at most 2 bytes for pages of up to 16 KiB (QEMU's {@code uleb128_decode_small})
     * and, above, at most as many bytes as the page size itself takes in ULEB128; within that, any
     * form is accepted, the non-canonical ones too (as QEMU accepts {@code 85 00} for 5).
     */
    static int decode(byte[] src, int slen, byte[] dst, int dlen) {
        int maxLengthBytes = dlen <= 16384 ? 2 : uleb(dlen);
        int i = 0;
        int d = 0;
        int[] count = new int[1];
        while (i < slen) {
            if (slen - i < 2) {
                return -1;
            }
            int ret = get(src, i, slen, count, maxLengthBytes);
            if (ret < 0 || (i != 0 && count[0] == 0)) {
                return -1;
            }
            i += ret;
            d += count[0];
            if (d > dlen) {
                return -1;
            }
            if (slen - i < 2) {
                return -1;
            }
            ret = get(src, i, slen, count, maxLengthBytes);
            if (ret < 0 || count[0] == 0) {
                return -1;
            }
            i += ret;
            if (d + count[0] > dlen || i + count[0] > slen) {
                return -1;
            }
            System.arraycopy(src, i, dst, d, count[0]);
            d += count[0];
            i += count[0];
        }
        return d;
    }

    static int uleb(int v) {
        int n = 1;
        while (v >= 0x80) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    private static int put(byte[] dst, int d, int v) {
        while (v >= 0x80) {
            dst[d++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        dst[d++] = (byte) v;
        return d;
    }

    private static int get(byte[] src, int i, int slen, int[] out, int maxBytes) {
        int v = 0;
        for (int n = 0; n < maxBytes; n++) {
            if (i + n >= slen) {
                return -1;
            }
            int b = src[i + n] & 0xff;
            v |= (b & 0x7f) << (7 * n);
            if (b < 0x80) {
                out[0] = v;
                return n + 1;
            }
        }
        return -1;
    }
}
