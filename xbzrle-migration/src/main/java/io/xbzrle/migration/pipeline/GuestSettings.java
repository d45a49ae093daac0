package io.xbzrle.migration.pipeline;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.xbzrle.migration.config.SettingsException;

/**
 * The synthetic guest's settings ({@code xbzrle.guest}).
 *
 * @param workload the workload's name (seed-counter, sparse-random, hot-cold, full-page, idle)
 * @param ram its memory in bytes
 * @param seed the seed of its random choices
 */
public record GuestSettings(String workload, long ram, long seed) {

    public static GuestSettings from(Config config) {
        try {
            long ram = config.getBytes("xbzrle.guest.ram");
            if (ram <= 0) {
                throw new SettingsException("xbzrle.guest.ram: must be more than 0");
            }
            return new GuestSettings(config.getString("xbzrle.guest.workload"), ram, config.getLong("xbzrle.guest.seed"));
        } catch (ConfigException e) {
            throw new SettingsException(e.getMessage(), e);
        }
    }
}
