package io.xbzrle.migration.pipeline;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueType;
import io.xbzrle.migration.config.SettingsException;
import java.util.OptionalLong;

/**
 * The synthetic guest's settings ({@code xbzrle.guest}).
 *
 * @param workload the workload's name (seed-counter, sparse-random, hot-cold, full-page, idle)
 * @param ram its memory in bytes
 * @param rate page writes per second (0: as fast as it can); empty for the workload's default
 * @param seed the seed of its random choices
 */
public record GuestSettings(String workload, long ram, OptionalLong rate, long seed) {

    public static GuestSettings from(Config config) {
        try {
            long ram = config.getBytes("xbzrle.guest.ram");
            if (ram <= 0) {
                throw new SettingsException("xbzrle.guest.ram: must be more than 0");
            }
            OptionalLong rate = OptionalLong.empty();
            if (!(config.getValue("xbzrle.guest.rate").valueType() == ConfigValueType.STRING
                    && "default".equals(config.getString("xbzrle.guest.rate")))) {
                long r = config.getLong("xbzrle.guest.rate");
                if (r < 0) {
                    throw new SettingsException("xbzrle.guest.rate: page writes per second, 0 or more, or default; "
                            + "not " + r);
                }
                rate = OptionalLong.of(r);
            }
            return new GuestSettings(config.getString("xbzrle.guest.workload"), ram, rate,
                    config.getLong("xbzrle.guest.seed"));
        } catch (ConfigException e) {
            throw new SettingsException(e.getMessage(), e);
        }
    }
}
