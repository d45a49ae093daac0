package io.xbzrle.cli;

import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The source's tuning flags; each overrides a setting (shown in brackets). */
final class TuningOptions {
    @Option(names = "--no-xbzrle", description = "Send changed pages whole (xbzrle.migration.xbzrle = off)")
    boolean noXbzrle;

    @Option(names = "--cache-policy", paramLabel = "P", description = "Cache eviction policy: aging or lru "
            + "(xbzrle.cache.policy, default aging)")
    String cachePolicy;

    @Option(names = "--cache-size", paramLabel = "S", description = "XBZRLE cache size, e.g. 64m "
            + "(xbzrle.cache.size, default 64m)")
    String cacheSize;

    @Option(names = "--max-bandwidth", paramLabel = "S", description = "Bytes per second on the wire, e.g. 32m; "
            + "0 for no cap (xbzrle.migration.max-bandwidth, default 128m as QEMU)")
    String maxBandwidth;

    @Option(names = "--downtime-limit", paramLabel = "D", description = "Longest pause of the guest for the last "
            + "round, e.g. 300ms (xbzrle.migration.downtime-limit)")
    String downtimeLimit;

    @Option(names = "--timeout", paramLabel = "D", description = "Cancel a migration that has not converged by "
            + "then, e.g. 60s; 0 for never (xbzrle.migration.timeout)")
    String timeout;

    @Option(names = "--auto-converge", description = "Throttle the guest when it dirties memory faster than the "
            + "link sends it (xbzrle.migration.auto-converge)")
    boolean autoConverge;

    /** The flags given, as settings paths. */
    Map<String, Object> settings() {
        Map<String, Object> m = new HashMap<>();
        if (noXbzrle) {
            m.put("xbzrle.migration.xbzrle", false);
        }
        if (autoConverge) {
            m.put("xbzrle.migration.auto-converge", true);
        }
        put(m, "xbzrle.cache.policy", cachePolicy);
        put(m, "xbzrle.cache.size", cacheSize);
        put(m, "xbzrle.migration.max-bandwidth", maxBandwidth);
        put(m, "xbzrle.migration.downtime-limit", downtimeLimit);
        put(m, "xbzrle.migration.timeout", timeout);
        return m;
    }

    static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
