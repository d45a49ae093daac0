package io.xbzrle.migration.pipeline;

import static java.util.Objects.requireNonNull;

import io.xbzrle.api.codec.CorruptDeltaException;
import io.xbzrle.api.codec.PageCodec;
import io.xbzrle.api.transport.Connection;
import io.xbzrle.migration.memory.MemoryDigest;
import io.xbzrle.migration.memory.MemoryImage;
import io.xbzrle.migration.stream.Limits;
import io.xbzrle.migration.stream.RecordType;
import io.xbzrle.migration.stream.Region;
import io.xbzrle.migration.stream.ReturnMessages;
import io.xbzrle.migration.stream.StreamException;
import io.xbzrle.migration.stream.StreamHeader;
import io.xbzrle.migration.stream.StreamReader;
import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The destination side of one migration: reads the stream, applies its records in order onto a
 * memory image (XBZRLE decoded in place onto the page it already holds), and at COMPLETE hashes
 * the image and compares with the source's digest, answering on the return path when there is
 * one. Every length and index was checked by the {@link StreamReader} against the header before
 * it reaches here. Single-threaded.
 */
public final class DestinationMigration {
    /** Frames read and checked ahead by the stream's reading thread, when it has one. */
    static final int FRAMES_AHEAD = 2;

    /** Chooses the codec and the image once the header is known. */
    public interface Setup {
        /**
         * The codec for the stream, or an exception whose message says why the destination cannot
         * take it (it is sent back to the source as the refusal).
         */
        PageCodec codec(StreamHeader header);

        /** The image for the stream's one region. */
        MemoryImage image(StreamHeader header, Region region) throws IOException;

        /** The names the result reports. */
        SourceMigration.Names names(StreamHeader header);
    }

    private final Connection connection;
    private final Setup setup;
    private final Limits limits;
    private final LongSupplier nanoClock;
    private final int framesAhead;

    /** A destination that reads the stream on the migration's thread. */
    public DestinationMigration(Connection connection, Setup setup, Limits limits, LongSupplier nanoClock) {
        this(connection, setup, limits, nanoClock, false);
    }

    /**
     * @param streamThread whether a thread of its own reads and checks the stream's frames ahead
     *     while pages are applied ({@code xbzrle.migration.stream-threads})
     */
    public DestinationMigration(Connection connection, Setup setup, Limits limits, LongSupplier nanoClock,
                                boolean streamThread) {
        this.connection = requireNonNull(connection, "connection is null");
        this.setup = requireNonNull(setup, "setup is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.nanoClock = requireNonNull(nanoClock, "nanoClock is null");
        this.framesAhead = streamThread ? FRAMES_AHEAD : 0;
    }

    /** Receives the migration to its end; never throws for a migration fault. */
    public MigrationResult run() {
        long start = nanoClock.getAsLong();
        Optional<ByteChannel> back = connection.returnPath();
        String status = "failed";
        String error = null;
        Boolean match = null;
        String digest = null;
        long setupNanos = 0;
        long pages = 0;
        long zero = 0;
        long raw = 0;
        long xbzrle = 0;
        long bytes = 0;
        long rounds = 0;
        int pageSize = 0;
        SourceMigration.Names names = new SourceMigration.Names("?", "?", connection.endpoint().getScheme());
        MemoryImage image = null;
        StreamReader reader = null;
        try {
            try {
                reader = StreamReader.open(connection.stream(), limits, framesAhead);
            } catch (StreamException e) {
                // A header this destination cannot take (version, page size or size past its
                // limits) is refused with the reason, as a codec it lacks, so the source can say why.
                throw refuse(back, e.getMessage());
            }
            StreamHeader header = reader.header();
            pageSize = header.pageSize();
            names = setup.names(header);
            if (header.regions().size() != 1) {
                throw refuse(back, "the stream has " + header.regions().size() + " memory regions; this destination "
                        + "takes one");
            }
            Region region = header.regions().get(0);
            PageCodec codec;
            try {
                // Without XBZRLE the stream has no deltas (the reader refuses any): a destination
                // lacking the header's codec can still take it.
                codec = header.xbzrle() ? setup.codec(header) : null;
                image = setup.image(header, region);
            } catch (RuntimeException | IOException e) {
                throw refuse(back, SourceMigration.describe(e));
            }
            if (back.isPresent()) {
                ReturnMessages.accepted(back.get());
            }
            pages = region.pages();
            setupNanos = nanoClock.getAsLong() - start;
            byte[] page = new byte[pageSize];
            loop:
            while (true) {
                RecordType type = reader.next();
                switch (type) {
                    case RAW -> {
                        image.writePage(reader.index(), reader.data(), reader.dataOffset());
                        raw++;
                    }
                    case ZERO -> {
                        image.zeroPage(reader.index());
                        zero++;
                    }
                    case XBZRLE -> {
                        long index = reader.index();
                        image.readPage(index, page, 0);
                        try {
                            codec.decode(reader.data(), reader.dataOffset(), reader.dataLength(), page, 0);
                        } catch (CorruptDeltaException e) {
                            throw new StreamException("page " + index + ": corrupt XBZRLE delta: " + e.getMessage());
                        }
                        image.writePage(index, page, 0);
                        xbzrle++;
                    }
                    case ROUND_END -> rounds++;
                    case COMPLETE -> {
                        image.force();
                        byte[] mine = MemoryDigest.sha256(image);
                        digest = HexFormat.of().formatHex(mine);
                        match = MessageDigest.isEqual(mine, reader.digest());
                        if (reader.pages() != pages) {
                            match = false;
                        }
                        if (back.isPresent()) {
                            ReturnMessages.result(back.get(), match, mine,
                                    match ? "" : "memory digest differs from the source's");
                        }
                        if (!match) {
                            error = "verification failed: the received memory's digest " + digest
                                    + " differs from the source's " + HexFormat.of().formatHex(reader.digest());
                        } else {
                            status = "completed";
                        }
                        break loop;
                    }
                    case ABORT -> {
                        status = reader.reason().startsWith("cancelled") ? "cancelled" : "failed";
                        error = "the source aborted: " + reader.reason();
                        break loop;
                    }
                    default -> throw new StreamException("unexpected record " + type);
                }
            }
            bytes = reader.bytesRead();
            connection.finish();
        } catch (IOException | RuntimeException e) {
            error = SourceMigration.describe(e);
        } finally {
            if (image != null) {
                try {
                    image.close();
                } catch (Exception e) {
                    if (error == null) {
                        error = "closing the memory image: " + SourceMigration.describe(e);
                        status = "failed";
                    }
                }
            }
            try {
                connection.close();
            } catch (IOException e) {
                // The outcome is decided; a failing close changes nothing the result says.
            }
            if (reader != null) {
                reader.close(); // after the connection: a read blocked on it has ended
            }
        }
        long total = Math.max(1, nanoClock.getAsLong() - start);
        MigrationResult.Ram ram = new MigrationResult.Ram(bytes, 0, pages * pageSize, zero, raw, raw * pageSize, rounds,
                bytes * 8e3 / total, 0);
        MigrationResult.Cache cache = new MigrationResult.Cache(0, 0, xbzrle, 0, 0, 0, 0);
        return new MigrationResult(status, total / 1_000_000, 0, setupNanos / 1_000_000, ram, cache, match, digest,
                error, names.codec(), names.cachePolicy(), names.transport(), 0, List.of());
    }

    private static IOException refuse(Optional<ByteChannel> back, String reason) {
        IOException refusal = new IOException("refused the migration: " + reason);
        if (back.isPresent()) {
            try {
                ReturnMessages.refused(back.get(), reason);
            } catch (IOException | RuntimeException e) {
                refusal.addSuppressed(e); // the source is gone: the reason stays this side's error
            }
        }
        return refusal;
    }
}
