package io.xbzrle.migration.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one migration, in QEMU's {@code query-migrate} terms (DESIGN §7).
 *
 * @param status {@code completed}, {@code failed} or {@code cancelled}
 * @param totalTimeMs from start to the end, ms
 * @param downtimeMs how long the guest was paused for the last round and switchover, ms
 * @param setupTimeMs connecting and the header exchange, ms
 * @param ram RAM counters
 * @param cache XBZRLE cache counters
 * @param verifyMatch whether the destination's memory hashed as the source's; null if not known
 * @param digest the memory's SHA-256 (hex) as this side computed it; null if not computed
 * @param error why it did not complete; null when it did
 * @param codec the codec's name
 * @param cachePolicy the cache policy's name
 * @param transport the transport's URI scheme
 * @param expectedDowntimeMs the last estimate of the downtime (useful when cancelled), ms
 * @param rounds the source's rounds, in order (empty on the destination)
 */
public record MigrationResult(String status, long totalTimeMs, long downtimeMs, long setupTimeMs, Ram ram,
                              Cache cache, Boolean verifyMatch, String digest, String error, String codec,
                              String cachePolicy, String transport, long expectedDowntimeMs,
                              List<Round> rounds) {

    public MigrationResult {
        rounds = List.copyOf(rounds);
    }

    /**
     * One round of the source: what it sent and what it cost the migration thread.
     *
     * @param round its number, from 1
     * @param pages the dirty pages it went through
     * @param xbzrlePages of which found in the cache (sent as deltas, or not at all when unchanged)
     * @param bytes the bytes it put on the wire
     * @param timeMs its wall time
     * @param cpuTimeMs the CPU time of the migration thread and of its stream writing thread in it
     */
    public record Round(long round, long pages, long xbzrlePages, long bytes, double timeMs, double cpuTimeMs) {
    }

    /** The same result with another status, error and verification (for a combined report). */
    public MigrationResult with(String newStatus, Boolean newMatch, String newError) {
        return new MigrationResult(newStatus, totalTimeMs, downtimeMs, setupTimeMs, ram, cache, newMatch, digest,
                newError, codec, cachePolicy, transport, expectedDowntimeMs, rounds);
    }

    /** RAM counters, as QEMU's {@code ram} section. */
    public record Ram(long transferred, long remaining, long total, long duplicate, long normal, long normalBytes,
                      long dirtySyncCount, double mbps, double dirtyPagesRate) {
    }

    /**
     * XBZRLE cache counters, as QEMU's {@code xbzrle-cache} section; the two rates are QEMU's period
     * rates, of the last period (computed at a dirty sync over a second after the one before).
     */
    public record Cache(long cacheSize, long bytes, long pages, long cacheMiss, double cacheMissRate,
                        double encodingRate, long overflow) {
    }

    /** Whether the migration completed and verified. */
    public boolean succeeded() {
        return "completed".equals(status) && Boolean.TRUE.equals(verifyMatch);
    }

    /** The result with QEMU's key names, in a stable order, for JSON. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("total-time", totalTimeMs);
        m.put("downtime", downtimeMs);
        m.put("setup-time", setupTimeMs);
        m.put("expected-downtime", expectedDowntimeMs);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("transferred", ram.transferred());
        r.put("remaining", ram.remaining());
        r.put("total", ram.total());
        r.put("duplicate", ram.duplicate());
        r.put("normal", ram.normal());
        r.put("normal-bytes", ram.normalBytes());
        r.put("dirty-sync-count", ram.dirtySyncCount());
        r.put("mbps", ram.mbps());
        r.put("dirty-pages-rate", ram.dirtyPagesRate());
        m.put("ram", r);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cache-size", cache.cacheSize());
        c.put("bytes", cache.bytes());
        c.put("pages", cache.pages());
        c.put("cache-miss", cache.cacheMiss());
        c.put("cache-miss-rate", cache.cacheMissRate());
        c.put("encoding-rate", cache.encodingRate());
        c.put("overflow", cache.overflow());
        m.put("xbzrle-cache", c);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("match", verifyMatch);
        v.put("digest", digest);
        m.put("verify", v);
        if (error != null) {
            m.put("error", error);
        }
        m.put("codec", codec);
        m.put("cache-policy", cachePolicy);
        m.put("transport", transport);
        List<Object> list = new ArrayList<>();
        for (Round x : rounds) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("round", x.round());
            one.put("pages", x.pages());
            one.put("xbzrle-pages", x.xbzrlePages());
            one.put("bytes", x.bytes());
            one.put("time", x.timeMs());
            one.put("cpu-time", x.cpuTimeMs());
            list.add(one);
        }
        m.put("rounds", list);
        return m;
    }
}
