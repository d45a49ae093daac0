package io.xbzrle.migration.pipeline;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.xbzrle.api.cache.support.ByteSizes;
import io.xbzrle.migration.config.SettingsException;
import io.xbzrle.migration.memory.DirectImage;
import io.xbzrle.migration.memory.MemoryImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The memory a destination may take for the in-memory images of the migrations it receives
 * ({@code xbzrle.migration.destination-memory}). A stream whose header asks for more is refused
 * before anything is allocated, with the sizes in the reason, so that no source, or hostile peer,
 * can make a receiver exhaust the machine's memory and take the migrations in progress down with
 * it. Thread-safe.
 *
 * <p>{@code auto} weighs each guest against the memory the machine has available at that moment
 * (an image is zero-filled when made, so the images already made are no longer in it), less a
 * margin for everything else, and less what images being made right now will take. A size limits
 * the images held at once to it; an image goes back to it when closed.
 */
final class DestinationMemory {
    static final String KEY = "xbzrle.migration.destination-memory";
    /** What auto leaves to everything else: a sixteenth of the machine's memory, at least this. */
    static final long MIN_MARGIN = 256L << 20;

    private final long limit;
    private final String origin;
    /** For auto: the bytes the machine has available now; null with a size. */
    private final LongSupplier available;
    private final long margin;
    private long held; // guarded by this: bytes of images held (a size) or being made (auto)

    /**
     * A size: images held at once take at most {@code limit} bytes.
     *
     * @param origin how the limit was set, for the refusal's message
     */
    DestinationMemory(long limit, String origin) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, not " + limit);
        }
        this.limit = limit;
        this.origin = origin;
        this.available = null;
        this.margin = 0;
    }

    /** auto: each image fits in {@code available} now, less {@code margin}. */
    DestinationMemory(LongSupplier available, long margin) {
        this.limit = Long.MAX_VALUE;
        this.origin = KEY + " = auto";
        this.available = available;
        this.margin = margin;
    }

    /** From {@value #KEY}: {@code auto} or a size. */
    static DestinationMemory from(Config config) {
        String value;
        try {
            value = config.getString(KEY).trim();
        } catch (ConfigException e) {
            throw new SettingsException(e.getMessage(), e);
        }
        if (value.toLowerCase(Locale.ROOT).equals("auto")) {
            long total = machineMemory();
            return total > 0 ? new DestinationMemory(DestinationMemory::availableMemory, Math.max(MIN_MARGIN, total / 16))
                    : new DestinationMemory(Long.MAX_VALUE, KEY + " = auto, and this JVM tells no memory size");
        }
        long bytes;
        try {
            bytes = config.getBytes(KEY);
        } catch (ConfigException e) {
            throw new SettingsException(KEY + ": must be auto or a size such as 64g, not '" + value + "'", e);
        }
        if (bytes < 0) {
            throw new SettingsException(KEY + ": must be auto or a size of 0 or more, not " + bytes);
        }
        return new DestinationMemory(bytes, KEY + " = " + value);
    }

    /** The physical memory the JVM sees (its container's, if any), or 0 when it does not say. */
    static long machineMemory() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getTotalMemorySize();
            }
        } catch (RuntimeException | LinkageError e) {
            // not HotSpot's bean, or jdk.management absent: no figure
        }
        return 0;
    }

    /**
     * The memory that can be taken without swapping: Linux's {@code MemAvailable} (free memory and
     * the page cache that can be dropped); in a container whose limit is below the host's memory,
     * and elsewhere, the JVM's free-memory figure (which knows the container's limit).
     */
    static long availableMemory() {
        long jvmFree = -1;
        long jvmTotal = -1;
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                jvmFree = os.getFreeMemorySize();
                jvmTotal = os.getTotalMemorySize();
            }
        } catch (RuntimeException | LinkageError e) {
            // no figure from the JVM
        }
        long[] meminfo = meminfo();
        boolean limited = meminfo[0] > 0 && jvmTotal > 0 && jvmTotal < meminfo[0];
        if (meminfo[1] >= 0 && !limited) {
            return meminfo[1];
        }
        return Math.max(0, jvmFree);
    }

    /** {@code MemTotal} and {@code MemAvailable} of /proc/meminfo in bytes, -1 where there is none. */
    static long[] meminfo() {
        long[] out = {-1, -1};
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII)) {
                int k = line.startsWith("MemTotal:") ? 0 : line.startsWith("MemAvailable:") ? 1 : -1;
                if (k >= 0) {
                    String[] f = line.trim().split("\\s+");
                    out[k] = Long.parseLong(f[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or unreadable: no figures
        }
        return out;
    }

    /**
     * A zero-filled image of {@code pages} pages in memory, held against the budget until closed
     * (a size) or until made (auto).
     *
     * @throws IllegalStateException naming the sizes when it does not fit
     */
    MemoryImage image(int pageSize, long pages) {
        long bytes = Math.multiplyExact(pages, (long) pageSize);
        reserve(bytes);
        try {
            if (available != null) {
                MemoryImage image = new DirectImage(pageSize, pages);
                release(bytes); // made: the machine's available memory now counts it
                return image;
            }
            return new DirectImage(pageSize, pages, () -> release(bytes));
        } catch (RuntimeException | Error e) {
            release(bytes);
            throw e;
        }
    }

    /** What images hold now (a size) or are being made (auto), in bytes. */
    synchronized long held() {
        return held;
    }

    private synchronized void reserve(long bytes) {
        if (available != null) {
            long free = available.getAsLong() - margin - held;
            if (bytes > free) {
                throw new IllegalStateException("the guest's memory, " + ByteSizes.describe(bytes)
                        + ", does not fit in what this destination has available: " + ByteSizes.format(Math.max(0, free))
                        + " (" + origin + ": the machine's available memory less " + ByteSizes.format(margin)
                        + (held > 0 ? " and " + ByteSizes.format(held) + " being allocated" : "")
                        + "); receive into a file with --ram-file, or set " + KEY);
            }
        } else if (bytes > limit - held) {
            throw new IllegalStateException("the guest's memory, " + ByteSizes.describe(bytes)
                    + ", does not fit in this destination's memory for migrations: " + ByteSizes.format(limit)
                    + " (" + origin + ")" + (held > 0 ? ", of which migrations in progress hold " + ByteSizes.format(held) : "")
                    + "; receive into a file with --ram-file, or raise " + KEY);
        }
        held += bytes;
    }

    private synchronized void release(long bytes) {
        held -= bytes;
    }
}
