package io.xbzrle.api.cache;

import com.typesafe.config.Config;

/**
 * An eviction policy. Found by {@link java.util.ServiceLoader}; selected by {@link #name()} through
 * the {@code xbzrle.cache.policy} setting.
 *
 * <p>Implementations have a public no-arg constructor, are immutable and thread-safe.
 */
public interface PageCacheProvider {

    /** The name configuration selects this policy by, such as {@code aging} or {@code lru}. */
    String name();

    /**
     * Creates an empty cache.
     *
     * @param pageSize the page size in bytes (a power of two)
     * @param capacityBytes the capacity in bytes, as QEMU's {@code xbzrle-cache-size}
     * @param config this policy's own configuration subtree ({@code xbzrle.cache.<name>}), never null
     * @throws IllegalArgumentException if the capacity does not suit this policy or a setting is
     *     invalid; the message says what would be valid
     */
    PageCache create(int pageSize, long capacityBytes, Config config);
}
