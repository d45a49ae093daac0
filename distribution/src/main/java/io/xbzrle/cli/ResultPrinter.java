package io.xbzrle.cli;

import io.xbzrle.migration.pipeline.MigrationResult;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Prints a migration's result: one JSON object, or a summary like QEMU's {@code info migrate}. */
final class ResultPrinter {
    private ResultPrinter() {
    }

    static void print(PrintWriter out, MigrationResult r, boolean json) {
        if (json) {
            out.println(Json.write(precise(r.asMap())));
            out.flush();
            return;
        }
        MigrationResult.Ram ram = r.ram();
        MigrationResult.Cache c = r.cache();
        out.printf(Locale.ROOT, "Migration status: %s%n", r.status());
        if (r.error() != null) {
            out.printf(Locale.ROOT, "error: %s%n", r.error());
        }
        out.printf(Locale.ROOT, "total time: %d ms%n", r.totalTimeMs());
        out.printf(Locale.ROOT, "downtime: %d ms%n", r.downtimeMs());
        out.printf(Locale.ROOT, "setup: %d ms%n", r.setupTimeMs());
        out.printf(Locale.ROOT, "transferred ram: %d kbytes%n", ram.transferred() / 1024);
        out.printf(Locale.ROOT, "throughput: %.2f mbps%n", ram.mbps());
        out.printf(Locale.ROOT, "remaining ram: %d kbytes%n", ram.remaining() / 1024);
        out.printf(Locale.ROOT, "total ram: %d kbytes%n", ram.total() / 1024);
        out.printf(Locale.ROOT, "duplicate: %d pages%n", ram.duplicate());
        out.printf(Locale.ROOT, "normal: %d pages%n", ram.normal());
        out.printf(Locale.ROOT, "normal bytes: %d kbytes%n", ram.normalBytes() / 1024);
        out.printf(Locale.ROOT, "dirty sync count: %d%n", ram.dirtySyncCount());
        out.printf(Locale.ROOT, "dirty pages rate: %.0f pages%n", ram.dirtyPagesRate());
        out.printf(Locale.ROOT, "cache size: %d bytes%s%n", c.cacheSize(),
                r.cachePolicy() == null ? "" : " (" + r.cachePolicy() + ")");
        out.printf(Locale.ROOT, "xbzrle transferred: %d kbytes%n", c.bytes() / 1024);
        out.printf(Locale.ROOT, "xbzrle pages: %d pages%n", c.pages());
        out.printf(Locale.ROOT, "xbzrle cache miss: %d pages%n", c.cacheMiss());
        out.printf(Locale.ROOT, "xbzrle cache miss rate: %.2f%n", c.cacheMissRate());
        out.printf(Locale.ROOT, "xbzrle encoding rate: %.2f%n", c.encodingRate());
        out.printf(Locale.ROOT, "xbzrle overflow: %d%n", c.overflow());
        out.printf(Locale.ROOT, "verified: %s%s%n", r.verifyMatch() == null ? "unknown" : r.verifyMatch() ? "yes" : "NO",
                r.digest() == null ? "" : " (sha256 " + r.digest() + ")");
        out.flush();
    }

    /**
     * The map with its fractional numbers rounded to 4 decimals instead of {@link Json}'s one, which
     * would print a cache-miss-rate of 0.04 as 0.0.
     */
    private static Map<String, Object> precise(Map<String, Object> m) {
        Map<String, Object> p = new LinkedHashMap<>();
        m.forEach((k, v) -> p.put(k, precise(v)));
        return p;
    }

    @SuppressWarnings("unchecked")
    private static Object precise(Object v) {
        if (v instanceof Map<?, ?> m) {
            return precise((Map<String, Object>) m);
        }
        if (v instanceof Double d && !d.isNaN() && !d.isInfinite()) {
            BigDecimal b = BigDecimal.valueOf(d).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros();
            return b.scale() < 1 ? b.setScale(1) : b;
        }
        return v;
    }

    /** Exit 0 when completed and not found to differ, else 1. */
    static int exitCode(MigrationResult r) {
        return "completed".equals(r.status()) && !Boolean.FALSE.equals(r.verifyMatch()) ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
