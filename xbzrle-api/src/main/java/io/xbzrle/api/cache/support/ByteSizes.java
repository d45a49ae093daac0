package io.xbzrle.api.cache.support;

/** Byte counts written the way configuration takes them ({@code 64m}, {@code 1g}, {@code 12345}). */
public final class ByteSizes {

    private static final String[] UNITS = {"e", "p", "t", "g", "m", "k"};

    private ByteSizes() {
    }

    /** {@code bytes} with the largest binary unit that divides it exactly. */
    public static String format(long bytes) {
        if (bytes > 0) {
            for (int i = 0; i < UNITS.length; i++) {
                int shift = 10 * (UNITS.length - i);
                if (Long.numberOfTrailingZeros(bytes) >= shift) {
                    return (bytes >>> shift) + UNITS[i];
                }
            }
        }
        return Long.toString(bytes);
    }

    /** {@code 100m (104857600 bytes)}, or {@code 1000 bytes} when there is no shorter form. */
    public static String describe(long bytes) {
        String short_ = format(bytes);
        return short_.equals(Long.toString(bytes)) ? bytes + " bytes" : short_ + " (" + bytes + " bytes)";
    }
}
