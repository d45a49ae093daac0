package io.xbzrle.migration.pipeline;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.xbzrle.migration.config.SettingsException;
import java.time.Duration;

/**
 * The pipeline's settings ({@code xbzrle.migration}), read eagerly and checked. QEMU's names and
 * defaults where QEMU has them.
 *
 * @param xbzrle whether changed pages may be sent as XBZRLE deltas (QEMU's capability)
 * @param maxBandwidth bytes per second on the wire, 0 for no cap
 * @param downtimeLimit the most the guest may be paused for the last round
 * @param timeout a migration that has not completed by then is cancelled; zero for never
 * @param autoConverge throttle the guest when it dirties memory faster than the link sends it
 * @param throttleInitial the first throttle, percent
 * @param throttleIncrement added each time the guest still outruns the link, percent
 * @param throttleMax the most the guest is throttled, percent
 * @param streamThreads whether the stream's frames are written (source) and read (destination)
 *     on threads of their own, overlapping TLS and the kernel's copy with the page work
 */
public record MigrationSettings(boolean xbzrle, long maxBandwidth, Duration downtimeLimit, Duration timeout,
                                boolean autoConverge, int throttleInitial, int throttleIncrement,
                                int throttleMax, boolean streamThreads) {
    /** {@code stream-threads = auto} uses them from this many processors up. */
    static final int STREAM_THREADS_MIN_PROCESSORS = 4;

    /** As the canonical constructor, with frames written and read on the migration's thread. */
    public MigrationSettings(boolean xbzrle, long maxBandwidth, Duration downtimeLimit, Duration timeout,
                             boolean autoConverge, int throttleInitial, int throttleIncrement, int throttleMax) {
        this(xbzrle, maxBandwidth, downtimeLimit, timeout, autoConverge, throttleInitial, throttleIncrement,
                throttleMax, false);
    }

    public MigrationSettings {
        requireNonNull(downtimeLimit, "downtimeLimit is null");
        requireNonNull(timeout, "timeout is null");
    }

    /** Reads {@code xbzrle.migration} from the effective configuration. */
    public static MigrationSettings from(Config config) {
        String p = "xbzrle.migration.";
        try {
            long bw = config.getBytes(p + "max-bandwidth");
            if (bw < 0) {
                throw new SettingsException(p + "max-bandwidth: must be 0 (no cap) or more, not " + bw);
            }
            Duration downtime = config.getDuration(p + "downtime-limit");
            if (downtime.isNegative() || downtime.isZero()) {
                throw new SettingsException(p + "downtime-limit: must be more than 0");
            }
            Duration timeout = config.getDuration(p + "timeout");
            if (timeout.isNegative()) {
                throw new SettingsException(p + "timeout: must be 0 (none) or more");
            }
            int initial = percent(config, p + "cpu-throttle-initial");
            int increment = percent(config, p + "cpu-throttle-increment");
            int max = percent(config, p + "cpu-throttle-max");
            return new MigrationSettings(config.getBoolean(p + "xbzrle"), bw, downtime, timeout,
                    config.getBoolean(p + "auto-converge"), initial, increment, max,
                    streamThreads(config.getString(p + "stream-threads"), Runtime.getRuntime().availableProcessors()));
        } catch (ConfigException e) {
            throw new SettingsException(e.getMessage(), e);
        }
    }

    /** {@code auto}, {@code on} or {@code off} (HOCON's other boolean spellings too). */
    static boolean streamThreads(String value, int processors) {
        switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "auto":
                return processors >= STREAM_THREADS_MIN_PROCESSORS;
            case "on":
            case "true":
            case "yes":
                return true;
            case "off":
            case "false":
            case "no":
                return false;
            default:
                throw new SettingsException("xbzrle.migration.stream-threads: must be auto, on or off, not '" + value + "'");
        }
    }

    private static int percent(Config config, String key) {
        int v = config.getInt(key);
        if (v < 1 || v > 99) {
            throw new SettingsException(key + ": must be a percentage from 1 to 99, not " + v);
        }
        return v;
    }
}
