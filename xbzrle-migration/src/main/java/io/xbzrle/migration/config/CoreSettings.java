package io.xbzrle.migration.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/**
 * The settings every command shares, read eagerly and checked, so that a bad value fails at
 * start-up naming its key ({@code checkValid} alone lets {@code page-size = lots} through).
 *
 * @param pageSize {@code xbzrle.page-size}: a power of two
 * @param codec {@code xbzrle.codec}: a codec's name
 * @param cachePolicy {@code xbzrle.cache.policy}: a cache policy's name
 * @param cacheSize {@code xbzrle.cache.size} in bytes, at least one page
 */
public record CoreSettings(int pageSize, String codec, String cachePolicy, long cacheSize) {

    /** Reads and checks the shared settings. @throws SettingsException naming the key */
    public static CoreSettings from(Config config) {
        int pageSize = read(config, "xbzrle.page-size", () -> config.getInt("xbzrle.page-size"));
        if (pageSize <= 0 || Integer.bitCount(pageSize) != 1) {
            throw new SettingsException("xbzrle.page-size: must be a power of two, not " + pageSize);
        }
        String codec = read(config, "xbzrle.codec", () -> config.getString("xbzrle.codec"));
        String policy = read(config, "xbzrle.cache.policy", () -> config.getString("xbzrle.cache.policy"));
        long size = read(config, "xbzrle.cache.size", () -> config.getBytes("xbzrle.cache.size"));
        if (size < pageSize) {
            throw new SettingsException("xbzrle.cache.size: " + size + " bytes is less than one " + pageSize
                    + "-byte page");
        }
        return new CoreSettings(pageSize, codec, policy, size);
    }

    private interface Read<T> {
        T get();
    }

    private static <T> T read(Config config, String key, Read<T> read) {
        try {
            return read.get();
        } catch (ConfigException e) {
            throw new SettingsException(key + ": " + e.getMessage(), e);
        }
    }
}
