package io.xbzrle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The result JSON of {@code demo}, {@code migrate} and {@code receive} (DESIGN §7: QEMU's
 * {@code query-migrate} names), read from a command's whole stdout and checked key by key.
 */
final class ResultJson {
    private static final List<String> TIMES = List.of("total-time", "downtime", "setup-time");
    private static final List<String> RAM_COUNTS = List.of("transferred", "remaining", "total", "duplicate", "normal",
            "normal-bytes", "dirty-sync-count");
    private static final List<String> RAM_RATES = List.of("mbps", "dirty-pages-rate");
    private static final List<String> CACHE_COUNTS = List.of("cache-size", "bytes", "pages", "cache-miss", "overflow");
    private static final List<String> CACHE_RATES = List.of("cache-miss-rate", "encoding-rate");

    private final Map<String, Object> json;

    private ResultJson(Map<String, Object> json) {
        this.json = json;
    }

    /**
     * The one JSON object that is all of {@code stdout} (one line), with every key of DESIGN §7 of
     * the right type.
     */
    static ResultJson of(String stdout) {
        assertTrue(stdout.endsWith("\n"), "stdout ends with a line end: " + stdout);
        assertEquals(1, stdout.lines().count(), "stdout is one line, one JSON object: " + stdout);
        Map<String, Object> m;
        try {
            m = MiniJson.object(stdout);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("stdout is not one JSON object: " + e.getMessage(), e);
        }
        ResultJson r = new ResultJson(m);
        r.checkTypes();
        return r;
    }

    private void checkTypes() {
        String what = json.toString();
        assertTrue(Set.of("completed", "failed", "cancelled").contains(status()), "status: " + what);
        for (String k : TIMES) {
            assertTrue(count(json, k) >= 0, k + ": " + what);
        }
        Map<String, Object> ram = section("ram");
        RAM_COUNTS.forEach(k -> assertTrue(count(ram, k) >= 0, "ram." + k + ": " + what));
        RAM_RATES.forEach(k -> assertTrue(rate(ram, k) >= 0, "ram." + k + ": " + what));
        Map<String, Object> cache = section("xbzrle-cache");
        CACHE_COUNTS.forEach(k -> assertTrue(count(cache, k) >= 0, "xbzrle-cache." + k + ": " + what));
        CACHE_RATES.forEach(k -> assertTrue(rate(cache, k) >= 0, "xbzrle-cache." + k + ": " + what));
        double missRate = rate(cache, "cache-miss-rate");
        assertTrue(missRate <= 1, "cache-miss-rate is a fraction: " + what);
        Map<String, Object> verify = section("verify");
        assertTrue(verify.containsKey("match") && verify.containsKey("digest"), "verify{match, digest}: " + what);
        Object match = verify.get("match");
        assertTrue(match == null || match instanceof Boolean, "verify.match: " + what);
        Object digest = verify.get("digest");
        assertTrue(digest == null || (digest instanceof String d && d.matches("[0-9a-f]{64}")),
                "verify.digest is a SHA-256 in hex: " + what);
        for (String k : List.of("codec", "transport")) {
            assertInstanceOf(String.class, json.get(k), k + ": " + what);
        }
        assertTrue(json.containsKey("cache-policy"), "cache-policy: " + what);
        Object policy = json.get("cache-policy");
        assertTrue(policy == null || policy instanceof String, "cache-policy: " + what);
        if ("completed".equals(status())) {
            assertFalse(json.containsKey("error"), "no error when completed: " + what);
        } else {
            assertInstanceOf(String.class, json.get("error"), "an error when not completed: " + what);
            assertFalse(error().isBlank(), "error: " + what);
        }
    }

    String status() {
        Object s = json.get("status");
        assertInstanceOf(String.class, s, "status: " + json);
        return (String) s;
    }

    String error() {
        return (String) json.get("error");
    }

    String codec() {
        return (String) json.get("codec");
    }

    String cachePolicy() {
        return (String) json.get("cache-policy");
    }

    String transport() {
        return (String) json.get("transport");
    }

    Boolean match() {
        return (Boolean) section("verify").get("match");
    }

    String digest() {
        return (String) section("verify").get("digest");
    }

    long ram(String key) {
        return count(section("ram"), key);
    }

    /** A top-level count: {@code total-time}, {@code downtime}, {@code expected-downtime}, ... */
    long number(String key) {
        return count(json, key);
    }

    long cache(String key) {
        return count(section("xbzrle-cache"), key);
    }

    double cacheRate(String key) {
        return rate(section("xbzrle-cache"), key);
    }

    /** A completed, verified migration. */
    ResultJson assertVerified() {
        assertEquals("completed", status(), json.toString());
        assertEquals(Boolean.TRUE, match(), "verify.match: " + json);
        assertNotNull(digest(), "verify.digest: " + json);
        assertEquals(0, ram("remaining"), "nothing remains: " + json);
        return this;
    }

    @Override
    public String toString() {
        return json.toString();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> section(String key) {
        Object v = json.get(key);
        if (!(v instanceof Map)) {
            fail("'" + key + "' is not an object: " + json);
        }
        return (Map<String, Object>) v;
    }

    private long count(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Long)) {
            fail("'" + key + "' is not a whole number: " + v + " in " + json);
        }
        return (Long) v;
    }

    private double rate(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number)) {
            fail("'" + key + "' is not a number: " + v + " in " + json);
        }
        return ((Number) v).doubleValue();
    }
}
