package io.xbzrle.api.codec;

import com.typesafe.config.Config;

/**
 * Finds and creates a {@link PageCodec}. Found by {@link java.util.ServiceLoader}; selected by
 * {@link #name()} through the {@code xbzrle.codec} setting.
 *
 * <p>Implementations have a public no-arg constructor, are immutable and thread-safe.
 */
public interface CodecProvider {

    /** The name configuration selects this codec by, such as {@code xbzrle}: lower case, no spaces. */
    String name();

    /**
     * Creates a codec for pages of {@code pageSize} bytes.
     *
     * @param pageSize the page size in bytes; a power of two
     * @param config this provider's own configuration subtree (may be empty, never null)
     * @return a new codec; never null
     * @throws IllegalArgumentException if this codec cannot handle {@code pageSize}, or a setting
     *     in {@code config} is invalid; the message names the setting
     */
    PageCodec create(int pageSize, Config config);
}
