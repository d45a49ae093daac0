package io.xbzrle.migration.pipeline;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.RateLimiter;
import io.xbzrle.api.cache.PageCache;
import io.xbzrle.api.codec.PageCodec;
import io.xbzrle.api.transport.Connection;
import io.xbzrle.api.transport.Transport;
import io.xbzrle.migration.memory.DirtyBitmap;
import io.xbzrle.migration.memory.GuestMemory;
import io.xbzrle.migration.memory.MemoryDigest;
import io.xbzrle.migration.stream.Region;
import io.xbzrle.migration.stream.ReturnMessage;
import io.xbzrle.migration.stream.ReturnMessages;
import io.xbzrle.migration.stream.StreamHeader;
import io.xbzrle.migration.stream.StreamWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.channels.ByteChannel;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The source side of one pre-copy migration, with QEMU's rules (DESIGN §3, QEMU-NOTES §6).
 *
 * <p>Round 1 sends every page as ZERO or RAW and fills no cache. Every later round syncs the dirty
 * log (swap and clear) before it reads a page, copies each dirty page into a private buffer, and
 * sends it as ZERO (and caches the zero page), as an XBZRLE delta against the cached copy (nothing
 * when unchanged; RAW on overflow) or RAW on a cache miss; the cache then holds exactly what the
 * destination holds. After each round the expected downtime is the dirty pages times the bytes per
 * page of the round divided by the measured bandwidth; once it is within the limit the guest is
 * paused, the last round runs without touching the cache, the memory's digest goes out in
 * COMPLETE, and the destination's verdict comes back on the return path (a file carries the
 * digest for its reader to check).
 *
 * <p>Single-threaded: {@link #run()} runs on the caller's thread. {@link #status()} and the cache
 * size may be read and changed from other threads (JMX).
 */
public final class SourceMigration {
    /**
     * What QEMU's xbzrle {@code bytes} adds to a delta's length: its flag byte and 16-bit length,
     * leaving out the page's address (QEMU-NOTES §6); our record's own framing differs, the counter
     * keeps QEMU's meaning so that {@code encoding-rate} compares with QEMU's.
     */
    private static final int QEMU_XBZRLE_OVERHEAD = 3;
    /** Frames queued for the stream's writing thread, when it has one: enough to ride out a slow write. */
    static final int FRAMES_IN_FLIGHT = 2;

    private final GuestMemory memory;
    private final PageCodec codec;
    private final PageCache cache;
    private final Transport transport;
    private final URI destination;
    private final MigrationSettings settings;
    private final Names names;
    private final LongSupplier nanoClock;
    private final MigrationStatus status;

    /** What the result reports the pieces as. */
    public record Names(String codec, String cachePolicy, String transport) {
    }

    public SourceMigration(GuestMemory memory, PageCodec codec, PageCache cache, Transport transport, URI destination,
                           MigrationSettings settings, Names names, LongSupplier nanoClock) {
        this.memory = requireNonNull(memory, "memory is null");
        this.codec = requireNonNull(codec, "codec is null");
        this.cache = requireNonNull(cache, "cache is null");
        this.transport = requireNonNull(transport, "transport is null");
        this.destination = requireNonNull(destination, "destination is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.names = requireNonNull(names, "names is null");
        this.nanoClock = requireNonNull(nanoClock, "nanoClock is null");
        if (codec.pageSize() != memory.pageSize() || cache.pageSize() != memory.pageSize()) {
            throw new IllegalArgumentException("codec, cache and memory page sizes differ: " + codec.pageSize() + ", "
                    + cache.pageSize() + ", " + memory.pageSize());
        }
        this.status = new MigrationStatus(memory.pageCount() * memory.pageSize(), memory.pageSize(), cache);
    }

    /** Live counters, readable from any thread. */
    public MigrationStatus status() {
        return status;
    }

    /**
     * Runs the migration to its end and reports how it went; never throws for a migration fault.
     *
     * @throws IllegalArgumentException if the transport does not understand the destination URI
     *     (a usage fault: nothing was sent)
     */
    public MigrationResult run() {
        Run run = new Run();
        try {
            run.migrate();
        } catch (BadDestination e) {
            throw (IllegalArgumentException) e.getCause(); // the finally below still closes the run
        } catch (Cancelled e) {
            run.fail("cancelled", e.getMessage());
        } catch (IOException | RuntimeException e) {
            run.fail("failed", describe(e));
        } finally {
            run.close();
        }
        return run.result();
    }

    /** A fault as one line: its message, or its type when it has none. */
    public static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** The destination URI is not one the transport understands. */
    private static final class BadDestination extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadDestination(IllegalArgumentException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** The migration did not converge in time. */
    private static final class Cancelled extends Exception {
        private static final long serialVersionUID = 1L;

        Cancelled(String message) {
            super(message, null, false, false);
        }
    }

    /** One run's state: the migration thread's alone. */
    private final class Run {
        private final int pageSize = memory.pageSize();
        private final long pages = memory.pageCount();
        private final byte[] page = new byte[pageSize];
        private final byte[] delta = new byte[pageSize];
        private final byte[] zeroPage = new byte[pageSize];
        private final DirtyBitmap dirty = new DirtyBitmap(pages);
        private final DirtyBitmap late = new DirtyBitmap(pages);
        private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        private final List<MigrationResult.Round> rounds = new ArrayList<>();
        private final RateLimiter limiter = settings.maxBandwidth() > 0
                ? RateLimiter.create(settings.maxBandwidth()) : null;
        private final long start = nanoClock.getAsLong();
        private long setupNanos;
        private long pausedAt = -1;
        private long switchoverAt = -1;
        private long endedAt = -1;
        private Connection connection;
        private StreamWriter writer;
        private String statusName = "failed";
        private String error;
        private Boolean match;
        private String digest;
        private long generation;
        private boolean xbzrleStarted;
        private boolean lastRound;
        private long expectedDowntimeNanos;
        private int throttle;
        private int strikes;
        private long roundStartNanos;
        private long roundStartBytes;
        private long roundPages;
        private long roundSent;

        void migrate() throws IOException, Cancelled {
            StreamHeader header = new StreamHeader(1, pageSize, List.of(new Region(0, memory.name(), pages)),
                    settings.xbzrle(), names.codec());
            try {
                connection = transport.connect(destination);
            } catch (IllegalArgumentException e) {
                throw new BadDestination(e);
            }
            writer = StreamWriter.open(connection.stream(), header, settings.streamThreads() ? FRAMES_IN_FLIGHT : 0);
            writer.flush();
            Optional<ByteChannel> back = connection.returnPath();
            if (back.isPresent()) {
                ReturnMessage answer = ReturnMessages.read(back.get());
                if (answer instanceof ReturnMessage.Refused refused) {
                    throw new IOException("the destination refused the migration: " + refused.reason());
                }
            }
            setupNanos = nanoClock.getAsLong() - start;
            memory.syncDirtyLog(dirty); // the first sync: every page
            status.synced(dirty.cardinality() * pageSize, nanoClock.getAsLong());
            generation = 1;
            while (true) {
                long roundStart = nanoClock.getAsLong();
                long cpuStart = threads.getCurrentThreadCpuTime() + writer.writingCpuNanos();
                long hitsBefore = status.snapshot().xbzrlePages();
                long bytesBefore = writer.bytesWritten();
                long sent = sendDirtyPages();
                writer.roundEnd(status.rounds() + 1, sent, writer.bytesWritten() - bytesBefore);
                rounds.add(new MigrationResult.Round(status.rounds() + 1, sent,
                        status.snapshot().xbzrlePages() - hitsBefore, writer.bytesWritten() - bytesBefore,
                        (nanoClock.getAsLong() - roundStart) / 1e6,
                        (threads.getCurrentThreadCpuTime() + writer.writingCpuNanos() - cpuStart) / 1e6));
                status.roundDone(writer.bytesWritten());
                if (lastRound) {
                    // Switchover: the destination has every page. Verification comes after it.
                    writer.flush();
                    switchoverAt = nanoClock.getAsLong();
                    break;
                }
                xbzrleStarted = settings.xbzrle();
                long roundNanos = Math.max(1, nanoClock.getAsLong() - roundStart);
                long roundBytes = writer.bytesWritten() - bytesBefore;
                memory.syncDirtyLog(dirty);
                generation++;
                long dirtyPages = dirty.cardinality();
                MigrationStatus.Period period = status.synced(dirtyPages * pageSize, nanoClock.getAsLong());
                status.dirtyRate(dirtyPages * 1e9 / roundNanos);
                double bytesPerPage = sent == 0 ? pageSize : (double) roundBytes / sent;
                double bandwidth = roundBytes * 1e9 / roundNanos; // bytes per second
                if (settings.maxBandwidth() > 0) {
                    bandwidth = Math.min(bandwidth, settings.maxBandwidth());
                }
                expectedDowntimeNanos = bandwidth <= 0 ? Long.MAX_VALUE
                        : (long) (dirtyPages * bytesPerPage / bandwidth * 1e9);
                status.expectedDowntime(expectedDowntimeNanos / 1_000_000);
                if (expectedDowntimeNanos <= settings.downtimeLimit().toNanos()) {
                    memory.pause();
                    pausedAt = nanoClock.getAsLong();
                    // The last round sends the pages dirty at the last sync and those written since.
                    memory.syncDirtyLog(late);
                    for (long i = late.nextSetBit(0); i >= 0; i = late.nextSetBit(i + 1)) {
                        dirty.set(i);
                    }
                    generation++;
                    status.synced(dirty.cardinality() * pageSize, nanoClock.getAsLong());
                    lastRound = true;
                } else {
                    checkTimeout();
                    if (period != null) {
                        autoConverge(period);
                    }
                }
            }
            byte[] sha = MemoryDigest.sha256(memory);
            digest = HexFormat.of().formatHex(sha);
            writer.complete(pages, sha);
            writer.flush();
            connection.finish();
            if (back.isPresent()) {
                ReturnMessage verdict = ReturnMessages.read(back.get());
                if (verdict instanceof ReturnMessage.Result result) {
                    match = result.match();
                    if (!result.match()) {
                        throw new IOException("verification failed: the destination's memory digest "
                                + HexFormat.of().formatHex(result.digest()) + " differs from the source's " + digest
                                + (result.error() == null || result.error().isEmpty() ? "" : ": " + result.error()));
                    }
                } else {
                    throw new IOException("the destination answered " + verdict + " instead of its verification");
                }
            }
            endedAt = nanoClock.getAsLong();
            statusName = "completed";
        }

        /** Sends every dirty page; returns how many were considered. */
        private long sendDirtyPages() throws IOException, Cancelled {
            long considered = 0;
            roundStartNanos = nanoClock.getAsLong();
            roundStartBytes = writer.bytesWritten();
            roundPages = dirty.cardinality();
            for (long i = dirty.nextSetBit(0); i >= 0; i = dirty.nextSetBit(i + 1)) {
                memory.readPage(i, page, 0);
                long before = writer.bytesWritten();
                sendPage(i);
                considered++;
                if (limiter != null) {
                    int bytes = (int) (writer.bytesWritten() - before);
                    if (bytes > 0) {
                        limiter.acquire(bytes);
                    }
                }
                roundSent = considered;
                if ((considered & 255) == 0) {
                    status.progress(writer.bytesWritten(), considered);
                }
                // Under a bandwidth cap 256 pages may take seconds: the timeout is checked per page.
                if (!lastRound && ((considered & 255) == 0 || limiter != null)) {
                    checkTimeoutMidRound();
                }
            }
            return considered;
        }

        private void sendPage(long i) throws IOException {
            if (codec.isZeroPage(page, 0)) {
                writer.zero(0, i);
                status.zeroPage();
                if (xbzrleStarted && !lastRound) {
                    store(i, zeroPage); // a stale copy must not survive
                }
                return;
            }
            if (!xbzrleStarted) {
                writer.raw(0, i, page, 0);
                status.normalPage(pageSize);
                return;
            }
            long handle = cache.lookup(i, generation);
            if (handle == PageCache.MISS) {
                status.cacheMiss();
                writer.raw(0, i, page, 0);
                status.normalPage(pageSize);
                if (!lastRound) {
                    cache.put(i, page, 0, generation);
                }
                return;
            }
            status.cacheHit();
            int n = codec.encode(cache.array(handle), cache.offset(handle), page, 0, delta, 0, pageSize);
            if (n == 0) {
                status.xbzrleBytes(0); // unchanged since it was sent: nothing to send
                return;
            }
            if (n < 0) {
                status.overflow(pageSize);
                writer.raw(0, i, page, 0);
                status.normalPage(pageSize);
            } else {
                writer.xbzrle(0, i, delta, 0, n);
                status.xbzrleBytes(n + QEMU_XBZRLE_OVERHEAD);
            }
            if (!lastRound) {
                store(i, page); // what the destination now holds
            }
        }

        /**
         * Caches what the destination now holds for page {@code i}. A policy may refuse (the aging
         * policy keeps young pages; a third party's may refuse to replace the page itself): then
         * any older copy of the page is dropped, or the next delta would be made against bytes the
         * destination no longer has (an unchanged-looking page would not even be sent).
         */
        private void store(long i, byte[] bytes) {
            if (!cache.put(i, bytes, 0, generation)) {
                cache.remove(i);
            }
        }

        /**
         * As {@link #checkTimeout()}, but first, when the timeout has passed, estimates the downtime
         * from this round so far (its pages not yet sent, at the bytes per page and bandwidth seen
         * in it), so that a migration cancelled in its first round does not report 0.
         */
        private void checkTimeoutMidRound() throws Cancelled {
            long limit = settings.timeout().toNanos();
            long now = nanoClock.getAsLong();
            if (limit > 0 && now - start > limit && roundSent > 0) {
                long bytes = writer.bytesWritten() - roundStartBytes;
                double bandwidth = bytes * 1e9 / Math.max(1, now - roundStartNanos);
                if (settings.maxBandwidth() > 0) {
                    bandwidth = Math.min(bandwidth, settings.maxBandwidth());
                }
                if (bytes > 0 && bandwidth > 0) {
                    double bytesPerPage = (double) bytes / roundSent;
                    long estimate = (long) ((roundPages - roundSent) * bytesPerPage / bandwidth * 1e9);
                    expectedDowntimeNanos = Math.max(expectedDowntimeNanos, estimate);
                    status.expectedDowntime(expectedDowntimeNanos / 1_000_000);
                }
            }
            checkTimeout();
        }

        private void checkTimeout() throws Cancelled {
            long limit = settings.timeout().toNanos();
            if (limit > 0 && nanoClock.getAsLong() - start > limit) {
                throw new Cancelled("did not converge within " + settings.timeout().toMillis() + " ms: expected "
                        + "downtime " + expectedDowntimeNanos / 1_000_000 + " ms, limit "
                        + settings.downtimeLimit().toMillis() + " ms");
            }
        }

        /**
         * QEMU's auto-converge ({@code migration_trigger_throttle}), at the end of a period of more
         * than a second: the second period (not necessarily in a row, as QEMU's
         * {@code dirty_rate_high_cnt}) dirtying more than half of what it sent throttles the guest,
         * or throttles it more.
         */
        private void autoConverge(MigrationStatus.Period period) {
            if (!settings.autoConverge()) {
                return;
            }
            if (period.dirtyBytes() > period.sentBytes() / 2 && ++strikes >= 2) {
                strikes = 0;
                throttle = throttle == 0 ? settings.throttleInitial()
                        : Math.min(settings.throttleMax(), throttle + settings.throttleIncrement());
                memory.throttle(throttle / 100.0);
                status.throttle(throttle);
            }
        }

        void fail(String how, String why) {
            statusName = how;
            error = why;
            endedAt = nanoClock.getAsLong();
            if (writer != null) {
                try {
                    // The destination reports "cancelled" for a reason that starts so.
                    writer.abort("cancelled".equals(how) ? "cancelled: " + why : why);
                    writer.flush();
                } catch (IOException | RuntimeException e) {
                    // The connection is likely what failed; the reason is already kept.
                }
            }
        }

        void close() {
            if (throttle > 0) {
                memory.throttle(0); // as QEMU stops throttling when the migration ends, however it ends
            }
            if (!"completed".equals(statusName) && memory.paused()) {
                memory.resume(); // the source runs on where the migration failed
            }
            if (connection != null) {
                try {
                    connection.close();
                } catch (IOException e) {
                    if (error == null) {
                        error = describe(e);
                    }
                }
            }
            if (writer != null) {
                writer.close(); // after the connection: a write stuck on it has failed by now
            }
            status.ended(statusName, writer == null ? 0 : writer.bytesWritten());
        }

        MigrationResult result() {
            long end = endedAt < 0 ? nanoClock.getAsLong() : endedAt;
            long total = Math.max(1, end - start);
            long transferred = writer == null ? 0 : writer.bytesWritten();
            MigrationStatus.Snapshot s = status.snapshot();
            MigrationResult.Ram ram = new MigrationResult.Ram(transferred, s.remainingBytes(),
                    pages * pageSize, s.duplicate(), s.normal(), s.normalBytes(), generation,
                    transferred * 8e3 / Math.max(1, (switchoverAt < 0 ? end : switchoverAt) - start),
                    s.dirtyPagesRate()); // mbps: while sending pages, not while hashing them
            MigrationResult.Cache c = new MigrationResult.Cache(cache.capacityBytes(), s.xbzrleBytes(),
                    s.xbzrlePages(), s.cacheMiss(), s.cacheMissRate(), s.encodingRate(), s.overflow());
            long downtime = pausedAt < 0 ? 0 : ((switchoverAt < 0 ? end : switchoverAt) - pausedAt) / 1_000_000;
            return new MigrationResult(statusName, total / 1_000_000, downtime, setupNanos / 1_000_000, ram, c,
                    "completed".equals(statusName) ? match : (match == null ? null : match), digest, error,
                    names.codec(), names.cachePolicy(), names.transport(), expectedDowntimeNanos / 1_000_000,
                    rounds);
        }
    }
}
