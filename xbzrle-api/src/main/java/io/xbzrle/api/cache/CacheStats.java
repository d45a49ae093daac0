package io.xbzrle.api.cache;

/**
 * A page cache's counters since it was created.
 *
 * @param capacityBytes the capacity in bytes now in force
 * @param pages pages held now
 * @param hits lookups that found the page
 * @param misses lookups that did not
 * @param inserts puts that stored the page
 * @param evictions pages dropped to make room (by a put or a shrinking resize)
 * @param refusals puts the policy refused
 */
public record CacheStats(long capacityBytes, long pages, long hits, long misses, long inserts,
                         long evictions, long refusals) {
}
