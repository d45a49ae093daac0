package io.xbzrle.migration.stream;

import static io.xbzrle.migration.stream.StreamWriter.ABORT_FIXED;
import static io.xbzrle.migration.stream.StreamWriter.COMPLETE_SIZE;
import static io.xbzrle.migration.stream.StreamWriter.DIGEST_LENGTH;
import static io.xbzrle.migration.stream.StreamWriter.FLAG_XBZRLE;
import static io.xbzrle.migration.stream.StreamWriter.MAGIC;
import static io.xbzrle.migration.stream.StreamWriter.MAX_REASON_BYTES;
import static io.xbzrle.migration.stream.StreamWriter.RAW_FIXED;
import static io.xbzrle.migration.stream.StreamWriter.ROUND_END_SIZE;
import static io.xbzrle.migration.stream.StreamWriter.XBZRLE_FIXED;
import static io.xbzrle.migration.stream.StreamWriter.ZERO_SIZE;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Reads a version 1 migration stream: {@link #open} reads and checks the header, then
 * {@link #next()} returns one record at a time and the accessors describe it until the next call.
 *
 * <p>Every length and index read from the wire is checked before it is used: the header's page
 * size and counts against the {@link Limits} before anything is allocated, each frame's length
 * against the capacity the header implies and its CRC32C, each record's type, region, page index
 * and length against the header and its frame. Whatever the bytes, the only exceptions are
 * {@link StreamException} (one line naming the stream offset and the fault) and the channel's own
 * {@link IOException}s: never an out-of-memory, an index out of bounds, or a loop that does not
 * consume input. End-of-stream is a read returning -1; the channel must be blocking (a selectable
 * channel in non-blocking mode is refused), so a read returning 0 is simply retried.
 *
 * <p>Nothing is allocated per record (ABORT's reason aside): {@link #data()} and {@link #digest()}
 * are arrays the reader owns, valid until the next call to {@code next()}; a caller that keeps
 * them copies them. Not thread-safe: one thread reads. The caller owns the channel (the reader
 * never closes it). Opened without frames ahead, the reader never reads past the frame holding
 * COMPLETE or ABORT.
 *
 * <p>Opened with frames ahead, a thread of the reader's own reads and checks the following frames
 * while the caller handles the records of the current one (TLS decryption and the kernel's copy
 * then overlap applying the pages). A fault is still reported when the caller reaches it, never
 * sooner, with the same message and offset. That thread may read past the end of the stream;
 * {@link #close()} stops it (a read blocked on the channel ends when the channel is closed).
 */
public final class StreamReader implements AutoCloseable {
    private final StreamHeader header;
    private final Regions regions;
    private final int pageSize;
    private final int capacity;
    /** The current frame: the payload (capacity) then its u32 CRC32C. */
    private ByteBuffer frame;
    private final FrameInput input;
    /** Reads frames ahead on its own thread; null when they are read on the caller's. */
    private final FrameReceiver receiver;
    /** Whether {@link #frame} came from the receiver and goes back to it. */
    private boolean holding;
    private final byte[] digest = new byte[DIGEST_LENGTH];
    private long bytesRead;
    private long frameStart;
    private int payloadLength;
    private int pos;
    private boolean ended;

    private RecordType type;
    private int region;
    private long index;
    private int dataOffset;
    private int dataLength;
    private long round;
    private long pages;
    private long bytes;
    private String reason;

    private StreamReader(ReadableByteChannel channel, StreamHeader header, long headerLength, int framesAhead) {
        this.header = header;
        this.regions = new Regions(header.regions());
        this.pageSize = header.pageSize();
        this.capacity = header.frameCapacity();
        this.bytesRead = headerLength;
        this.input = new FrameInput(channel, capacity, headerLength);
        if (framesAhead == 0) {
            this.frame = ByteBuffer.allocate(capacity + 4);
            this.receiver = null;
        } else {
            ByteBuffer[] buffers = new ByteBuffer[framesAhead + 1];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = ByteBuffer.allocate(capacity + 4);
            }
            this.frame = buffers[0]; // read by nothing until the first frame arrives
            this.receiver = new FrameReceiver(input, buffers, "xbzrle-stream-reader");
        }
    }

    /**
     * Reads and checks the header.
     *
     * @throws StreamException if the header is not a valid version 1 header within {@code limits}
     * @throws IllegalArgumentException if the channel is non-blocking
     * @throws IOException if the channel fails
     */
    public static StreamReader open(ReadableByteChannel channel, Limits limits) throws IOException {
        return open(channel, limits, 0);
    }

    /**
     * Reads and checks the header.
     *
     * @param framesAhead 0 to read frames on the caller's thread; otherwise how many frames a
     *     thread of the reader's own may read and check ahead of the one being read (each frame
     *     buffer is {@link StreamHeader#frameCapacity()} bytes plus 4)
     * @throws StreamException if the header is not a valid version 1 header within {@code limits}
     * @throws IllegalArgumentException if the channel is non-blocking or {@code framesAhead} is negative
     * @throws IOException if the channel fails
     */
    public static StreamReader open(ReadableByteChannel channel, Limits limits, int framesAhead) throws IOException {
        requireNonNull(channel, "channel is null");
        requireNonNull(limits, "limits is null");
        if (framesAhead < 0) {
            throw new IllegalArgumentException("framesAhead is negative: " + framesAhead);
        }
        Io.requireBlocking(channel);
        HeaderParser p = new HeaderParser(channel);
        StreamHeader header = p.parse(limits);
        return new StreamReader(channel, header, p.offset, framesAhead);
    }

    /**
     * Stops the thread reading ahead, if any; the records not yet read are dropped. Does not close
     * the channel. Idempotent.
     */
    @Override
    public void close() {
        if (receiver != null) {
            receiver.close();
        }
    }

    /** Like {@link #open(ReadableByteChannel, Limits)} with {@link Limits#DEFAULT}. */
    public static StreamReader open(ReadableByteChannel channel) throws IOException {
        return open(channel, Limits.DEFAULT);
    }

    /** The stream's header. */
    public StreamHeader header() {
        return header;
    }

    /** Bytes taken from the channel so far, header and framing included. */
    public long bytesRead() {
        return bytesRead;
    }

    /**
     * Moves to the next record, reading the next frame when the current one is used up.
     *
     * @return the record's type; after COMPLETE or ABORT the stream has ended
     * @throws StreamException if the stream ends before COMPLETE or ABORT, or is not valid
     * @throws IllegalStateException if called after COMPLETE or ABORT
     * @throws IOException if the channel fails
     */
    public RecordType next() throws IOException {
        if (ended) {
            throw new IllegalStateException("the stream has ended with " + type + "; no record follows");
        }
        type = null;
        if (pos >= payloadLength) {
            readFrame();
        }
        byte[] a = frame.array();
        int start = pos;
        int remaining = payloadLength - pos;
        RecordType t = RecordType.ofCode(a[pos] & 0xFF);
        if (t == null) {
            throw fault(start, "unknown record type " + (a[pos] & 0xFF) + " (corrupt stream)");
        }
        switch (t) {
            case RAW:
                need(t, start, remaining, RAW_FIXED + pageSize);
                page(start);
                dataOffset = start + RAW_FIXED;
                dataLength = pageSize;
                pos = dataOffset + pageSize;
                break;
            case ZERO:
                need(t, start, remaining, ZERO_SIZE);
                page(start);
                pos = start + ZERO_SIZE;
                break;
            case XBZRLE: {
                if (!header.xbzrle()) {
                    throw fault(start, "XBZRLE record in a stream whose header has xbzrle off");
                }
                need(t, start, remaining, XBZRLE_FIXED);
                page(start);
                long len = Integer.toUnsignedLong(frame.getInt(start + 11));
                if (len > pageSize) {
                    throw fault(start, "XBZRLE length " + len + " exceeds the page size " + pageSize + " (corrupt stream)");
                }
                need(t, start, remaining, XBZRLE_FIXED + (int) len);
                dataOffset = start + XBZRLE_FIXED;
                dataLength = (int) len;
                pos = dataOffset + dataLength;
                break;
            }
            case ROUND_END:
                need(t, start, remaining, ROUND_END_SIZE);
                round = frame.getLong(start + 1);
                pages = frame.getLong(start + 9);
                bytes = frame.getLong(start + 17);
                pos = start + ROUND_END_SIZE;
                break;
            case COMPLETE:
                need(t, start, remaining, COMPLETE_SIZE);
                pages = frame.getLong(start + 1);
                System.arraycopy(a, start + 9, digest, 0, DIGEST_LENGTH);
                pos = start + COMPLETE_SIZE;
                last(t, start);
                break;
            case ABORT: {
                need(t, start, remaining, ABORT_FIXED);
                int len = frame.getShort(start + 1) & 0xFFFF;
                if (len > MAX_REASON_BYTES) {
                    throw fault(start, "ABORT reason of " + len + " bytes exceeds " + MAX_REASON_BYTES + " (corrupt stream)");
                }
                need(t, start, remaining, ABORT_FIXED + len);
                reason = Utf8.decodeLenient(a, start + ABORT_FIXED, len);
                pos = start + ABORT_FIXED + len;
                last(t, start);
                break;
            }
            default:
                throw new AssertionError(t);
        }
        type = t;
        return t;
    }

    /** The current record's type, or {@code null} before the first record or after a fault. */
    public RecordType type() {
        return type;
    }

    /** The region id of the current RAW, ZERO or XBZRLE record. */
    public int region() {
        requirePage();
        return region;
    }

    /** The page index (within its region) of the current RAW, ZERO or XBZRLE record. */
    public long index() {
        requirePage();
        return index;
    }

    /**
     * The array holding the current RAW record's page or XBZRLE record's delta, at
     * {@link #dataOffset()} for {@link #dataLength()} bytes. The reader owns it; it is overwritten
     * by a later {@link #next()}.
     */
    public byte[] data() {
        requireData();
        return frame.array();
    }

    /** Where the current record's data starts in {@link #data()}. */
    public int dataOffset() {
        requireData();
        return dataOffset;
    }

    /** The current record's data length: the page size for RAW, the delta's length for XBZRLE. */
    public int dataLength() {
        requireData();
        return dataLength;
    }

    /** The round number of the current ROUND_END record. */
    public long round() {
        require(RecordType.ROUND_END, null);
        return round;
    }

    /** The pages sent in the round (ROUND_END) or the page count of the digest (COMPLETE). */
    public long pages() {
        require(RecordType.ROUND_END, RecordType.COMPLETE);
        return pages;
    }

    /** The bytes sent in the round of the current ROUND_END record. */
    public long bytes() {
        require(RecordType.ROUND_END, null);
        return bytes;
    }

    /** The 32-byte SHA-256 digest of the COMPLETE record; the reader owns the array. */
    public byte[] digest() {
        require(RecordType.COMPLETE, null);
        return digest;
    }

    /** The reason of the ABORT record. */
    public String reason() {
        require(RecordType.ABORT, null);
        return reason;
    }

    private void requirePage() {
        if (type != RecordType.RAW && type != RecordType.ZERO && type != RecordType.XBZRLE) {
            throw new IllegalStateException("the current record is " + type + ", not RAW, ZERO or XBZRLE");
        }
    }

    private void requireData() {
        if (type != RecordType.RAW && type != RecordType.XBZRLE) {
            throw new IllegalStateException("the current record is " + type + ", not RAW or XBZRLE");
        }
    }

    private void require(RecordType a, RecordType b) {
        if (type == null || (type != a && type != b)) {
            throw new IllegalStateException("the current record is " + type + ", not " + a + (b == null ? "" : " or " + b));
        }
    }

    /** Reads the region and index of a page record at {@code start} and checks them against the header. */
    private void page(int start) throws StreamException {
        int r = frame.getShort(start + 1) & 0xFFFF;
        long i = frame.getLong(start + 3);
        long n = regions.pages(r);
        if (n < 0) {
            throw fault(start, "no region of id " + r + " in the header (corrupt stream)");
        }
        if (i < 0 || i >= n) {
            throw fault(start, "page index " + Long.toUnsignedString(i) + " is outside region " + r
                    + " (" + n + " pages) (corrupt stream)");
        }
        region = r;
        index = i;
    }

    private void need(RecordType t, int start, int remaining, int size) throws StreamException {
        if (size > remaining) {
            throw fault(start, t + " record of " + size + " bytes runs past its frame (" + remaining
                    + " bytes left) (corrupt stream)");
        }
    }

    /** COMPLETE and ABORT end the stream: nothing may follow them in their frame. */
    private void last(RecordType t, int start) throws StreamException {
        if (pos != payloadLength) {
            throw fault(start, t + " is followed by " + (payloadLength - pos) + " more bytes in its frame (corrupt stream)");
        }
        ended = true;
    }

    private StreamException fault(int payloadPos, String what) {
        return new StreamException(frameStart + 4 + payloadPos, what);
    }

    private void readFrame() throws IOException {
        if (receiver == null) {
            frameStart = bytesRead;
            try {
                payloadLength = input.read(frame);
            } finally {
                bytesRead = input.offset();
            }
        } else {
            ByteBuffer done = holding ? frame : null;
            holding = false;
            FrameReceiver.Frame f = receiver.next(done);
            frame = f.buffer();
            holding = true;
            payloadLength = f.size();
            bytesRead = f.end();
            frameStart = f.end() - 8 - f.size();
        }
        pos = 0;
    }

    /** Reads the header field by field, checking each bound before reading what it sizes. */
    private static final class HeaderParser {
        private final ReadableByteChannel channel;
        private final ByteBuffer buf = ByteBuffer.allocate(Region.MAX_NAME_BYTES + 8);
        private final CRC32C crc = new CRC32C();
        long offset;

        HeaderParser(ReadableByteChannel channel) {
            this.channel = channel;
        }

        StreamHeader parse(Limits limits) throws IOException {
            read(4);
            for (int i = 0; i < 4; i++) {
                if (buf.get(i) != MAGIC[i]) {
                    throw new StreamException(0, "not an xbzrle migration stream (bad magic)");
                }
            }
            read(2);
            int version = buf.getShort(0) & 0xFFFF;
            if (version != StreamHeader.VERSION_1) {
                throw new StreamException(4, "unsupported stream version " + version + " (this build reads version "
                        + StreamHeader.VERSION_1 + ")");
            }
            read(4);
            int pageSize = buf.getInt(0);
            if (!StreamHeader.validPageSize(pageSize)) {
                throw new StreamException(6, "page size " + Integer.toUnsignedString(pageSize) + " is not a power of two from "
                        + StreamHeader.MIN_PAGE_SIZE + " to " + StreamHeader.MAX_PAGE_SIZE + " (corrupt stream)");
            }
            if (pageSize > limits.maxPageSize()) {
                throw new StreamException(6, "page size " + pageSize + " exceeds this destination's limit of "
                        + limits.maxPageSize());
            }
            read(2);
            int count = buf.getShort(0) & 0xFFFF;
            if (count == 0) {
                throw new StreamException(10, "the header lists no regions (corrupt stream)");
            }
            if (count > limits.maxRegions()) {
                throw new StreamException(10, count + " regions exceed this destination's limit of " + limits.maxRegions());
            }
            List<Region> regions = new ArrayList<>(count);
            Set<Integer> ids = new HashSet<>();
            long total = 0;
            for (int k = 0; k < count; k++) {
                long at = offset;
                read(3);
                int id = buf.getShort(0) & 0xFFFF;
                int nameLength = buf.get(2) & 0xFF;
                if (nameLength == 0) {
                    throw new StreamException(at, "region " + id + " has an empty name (corrupt stream)");
                }
                if (!ids.add(id)) {
                    throw new StreamException(at, "region id " + id + " appears twice (corrupt stream)");
                }
                read(nameLength + 8);
                String name = Utf8.decodeStrict(buf.array(), 0, nameLength);
                if (name == null) {
                    throw new StreamException(at, "region " + id + " has a name that is not UTF-8 (corrupt stream)");
                }
                long n = buf.getLong(nameLength);
                if (n <= 0) {
                    throw new StreamException(at, "region '" + name + "' has " + Long.toUnsignedString(n)
                            + " pages (corrupt stream)");
                }
                if (n > limits.maxPages() - total) {
                    throw new StreamException(at, "region '" + name + "' of " + n
                            + " pages takes the regions past this destination's limit of " + limits.maxPages() + " pages");
                }
                total += n;
                regions.add(new Region(id, name, n));
            }
            long at = offset;
            read(2);
            int flags = buf.get(0) & 0xFF;
            if ((flags & ~FLAG_XBZRLE) != 0) {
                throw new StreamException(at, "unknown capability flags 0x" + Integer.toHexString(flags & ~FLAG_XBZRLE) + " (corrupt stream)");
            }
            int codecLength = buf.get(1) & 0xFF;
            if (codecLength == 0) {
                throw new StreamException(at + 1, "empty codec name (corrupt stream)");
            }
            read(codecLength);
            String codec = Utf8.decodeStrict(buf.array(), 0, codecLength);
            if (codec == null || codec.length() > StreamHeader.MAX_CODEC_LENGTH) {
                throw new StreamException(at + 1, "the codec name is not 1.." + StreamHeader.MAX_CODEC_LENGTH
                        + " characters of UTF-8 (corrupt stream)");
            }
            int expected = (int) crc.getValue();
            long crcAt = offset;
            readUnchecked(4);
            if (buf.getInt(0) != expected) {
                throw new StreamException(crcAt, "header CRC32C mismatch (corrupt stream)");
            }
            try {
                return new StreamHeader(version, pageSize, regions, (flags & FLAG_XBZRLE) != 0, codec);
            } catch (IllegalArgumentException e) {
                throw new StreamException(crcAt, e.getMessage());
            }
        }

        /** Reads {@code n} header bytes into {@code buf} from index 0 and adds them to the CRC. */
        private void read(int n) throws IOException {
            readUnchecked(n);
            crc.update(buf.array(), 0, n);
        }

        private void readUnchecked(int n) throws IOException {
            buf.clear().limit(n);
            int got = Io.readFully(channel, buf);
            offset += got;
            if (got < n) {
                throw new StreamException(offset, "stream ended inside the header (truncated?)");
            }
        }
    }
}
