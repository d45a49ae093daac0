package io.xbzrle.migration.pipeline;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.xbzrle.api.cache.support.ByteSizes;
import io.xbzrle.migration.config.SettingsException;
import io.xbzrle.migration.memory.DirectImage;
import io.xbzrle.migration.memory.MemoryImage;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The memory a destination may hold in the in-memory images of the migrations it receives at
 * once ({@code xbzrle.migration.destination-memory}). A stream whose header asks for more than is
 * left is refused before anything is allocated, with the sizes in the reason, so that no source,
 * or hostile peer, can make a receiver exhaust the machine's memory and take the migrations in
 * progress down with it. An image goes back to the budget when it is closed. Thread-safe.
 */
final class DestinationMemory {
    static final String KEY = "xbzrle.migration.destination-memory";

    private final long limit;
    private final String origin;
    private long held; // guarded by this

    /**
     * @param limit bytes, at least 0
     * @param origin how the limit was set, for the refusal's message
     */
    DestinationMemory(long limit, String origin) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, not " + limit);
        }
        this.limit = limit;
        this.origin = origin;
    }

    /** From {@value #KEY}: {@code auto} (the machine's physical memory) or a size. */
    static DestinationMemory from(Config config) {
        String value;
        try {
            value = config.getString(KEY).trim();
        } catch (ConfigException e) {
            throw new SettingsException(e.getMessage(), e);
        }
        if (value.toLowerCase(Locale.ROOT).equals("auto")) {
            long machine = machineMemory();
            return machine > 0 ? new DestinationMemory(machine, KEY + " = auto: the machine's memory")
                    : new DestinationMemory(Long.MAX_VALUE, KEY + " = auto");
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
     * A zero-filled image of {@code pages} pages in memory, held against the budget until closed.
     *
     * @throws IllegalStateException naming the sizes when it does not fit in what is left
     */
    MemoryImage image(int pageSize, long pages) {
        long bytes = Math.multiplyExact(pages, (long) pageSize);
        reserve(bytes);
        try {
            return new HeldImage(new DirectImage(pageSize, pages), bytes);
        } catch (RuntimeException | Error e) {
            release(bytes);
            throw e;
        }
    }

    /** What images hold now, in bytes. */
    synchronized long held() {
        return held;
    }

    private synchronized void reserve(long bytes) {
        if (bytes > limit - held) {
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

    /** An image that gives its bytes back to the budget when it is closed (once). */
    private final class HeldImage implements MemoryImage {
        private final MemoryImage image;
        private final long bytes;
        private boolean closed;

        HeldImage(MemoryImage image, long bytes) {
            this.image = image;
            this.bytes = bytes;
        }

        @Override
        public int pageSize() {
            return image.pageSize();
        }

        @Override
        public long pageCount() {
            return image.pageCount();
        }

        @Override
        public void readPage(long index, byte[] dst, int off) {
            image.readPage(index, dst, off);
        }

        @Override
        public void writePage(long index, byte[] src, int off) {
            image.writePage(index, src, off);
        }

        @Override
        public void zeroPage(long index) {
            image.zeroPage(index);
        }

        @Override
        public void force() {
            image.force();
        }

        @Override
        public void close() {
            try {
                image.close();
            } finally {
                if (!closed) {
                    closed = true;
                    release(bytes);
                }
            }
        }
    }
}
