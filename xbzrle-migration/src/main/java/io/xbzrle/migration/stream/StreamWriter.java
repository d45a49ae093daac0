package io.xbzrle.migration.stream;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Writes a version 1 migration stream: the header at {@link #open}, then records packed into
 * CRC32C-checked frames (see the {@linkplain io.xbzrle.migration.stream package} for the format).
 *
 * <p>A frame goes to the channel when the next record would not fit in it, on {@link #flush()}, and
 * after {@link #roundEnd}, {@link #complete} and {@link #abort}, which return once it is written. Records are copied into one
 * reusable frame buffer: nothing is allocated per record, and the caller's arrays may be reused as
 * soon as a method returns.
 *
 * <p>Opened with frames in flight, the writer hands each finished frame to a thread of its own that
 * writes it while the caller fills the next one (TLS encryption and the kernel's copy then overlap
 * the page work); {@link #flush()} waits until everything is written, and an I/O error of that
 * thread is thrown, unchanged, by the next call that sends. {@link #close()} stops that thread.
 *
 * <p>Not thread-safe: one thread writes. The caller owns the channel (the writer never closes it).
 * Arguments out of the header's bounds (unknown region, index past the region, a delta longer than
 * a page) throw {@link IllegalArgumentException}; a record after {@code complete} or {@code abort},
 * or any call after an I/O error, throws {@link IllegalStateException}; I/O errors of the channel
 * propagate unchanged.
 */
public final class StreamWriter implements AutoCloseable {
    /** The longest ABORT reason on the wire, in UTF-8 bytes. */
    public static final int MAX_REASON_BYTES = 1000;
    /** The length of a COMPLETE record's digest (SHA-256). */
    public static final int DIGEST_LENGTH = 32;

    static final byte[] MAGIC = {'X', 'B', 'Z', 'R'};
    static final int FLAG_XBZRLE = 1;
    /** Record sizes before any variable part: type + fields. */
    static final int RAW_FIXED = 1 + 2 + 8;
    static final int ZERO_SIZE = 1 + 2 + 8;
    static final int XBZRLE_FIXED = 1 + 2 + 8 + 4;
    static final int ROUND_END_SIZE = 1 + 8 + 8 + 8;
    static final int COMPLETE_SIZE = 1 + 8 + DIGEST_LENGTH;
    static final int ABORT_FIXED = 1 + 2;

    private final WritableByteChannel channel;
    private final StreamHeader header;
    private final Regions regions;
    private final int pageSize;
    private final int capacity;
    /** The frame being filled: u32 length, payload (capacity), u32 CRC32C. */
    private ByteBuffer frame;
    /** Writes frames on its own thread; null when they are written on the caller's. */
    private FrameSender sender;
    private final CRC32C crc = new CRC32C();
    private long bytesWritten;
    private boolean ended;
    private boolean failed;

    private StreamWriter(WritableByteChannel channel, StreamHeader header) {
        this.channel = channel;
        this.header = header;
        this.regions = new Regions(header.regions());
        this.pageSize = header.pageSize();
        this.capacity = header.frameCapacity();
        this.frame = ByteBuffer.allocate(4 + capacity + 4);
        frame.position(4);
    }

    /**
     * Writes the header to the channel and returns a writer whose frames are written on the
     * caller's thread.
     *
     * @see #open(WritableByteChannel, StreamHeader, int)
     */
    public static StreamWriter open(WritableByteChannel channel, StreamHeader header) throws IOException {
        return open(channel, header, 0);
    }

    /**
     * Writes the header to the channel and returns a writer for the records.
     *
     * @param framesInFlight 0 to write frames on the caller's thread; otherwise how many finished
     *     frames may wait for a writing thread of the writer's own while the caller fills the next
     *     (each frame buffer is {@link StreamHeader#frameCapacity()} bytes plus 8)
     * @throws IllegalArgumentException if the header's version is not {@link StreamHeader#VERSION_1},
     *     the channel is non-blocking or {@code framesInFlight} is negative
     * @throws IOException if the channel fails
     */
    public static StreamWriter open(WritableByteChannel channel, StreamHeader header, int framesInFlight)
            throws IOException {
        if (framesInFlight < 0) {
            throw new IllegalArgumentException("framesInFlight is negative: " + framesInFlight);
        }
        requireNonNull(channel, "channel is null");
        requireNonNull(header, "header is null");
        Io.requireBlocking(channel);
        if (header.version() != StreamHeader.VERSION_1) {
            throw new IllegalArgumentException("this build writes stream version " + StreamHeader.VERSION_1
                    + ", not " + header.version());
        }
        StreamWriter w = new StreamWriter(channel, header);
        w.writeHeader();
        if (framesInFlight > 0) {
            ByteBuffer[] buffers = new ByteBuffer[framesInFlight + 1];
            buffers[0] = w.frame;
            for (int i = 1; i < buffers.length; i++) {
                buffers[i] = ByteBuffer.allocate(w.frame.capacity());
            }
            w.sender = new FrameSender(channel, buffers, "xbzrle-stream-writer");
            w.frame = w.sender.first();
            w.frame.clear().position(4);
        }
        return w;
    }

    /** The header this stream was opened with. */
    public StreamHeader header() {
        return header;
    }

    /**
     * Bytes handed to the channel so far (with frames in flight: or queued for it): header, frames
     * and their framing.
     */
    public long bytesWritten() {
        return bytesWritten;
    }

    /**
     * CPU time, in nanoseconds, of the writer's own writing thread; 0 when frames are written on the
     * caller's thread (whose CPU time then includes the writing).
     */
    public long writingCpuNanos() {
        return sender == null ? 0 : sender.cpuNanos();
    }

    /**
     * A whole page.
     *
     * @param page holds the page at {@code off} ({@code pageSize} bytes)
     */
    public void raw(int region, long index, byte[] page, int off) throws IOException {
        requireNonNull(page, "page is null");
        Objects.checkFromIndexSize(off, pageSize, page.length);
        checkPage(region, index);
        reserve(RAW_FIXED + pageSize);
        frame.put((byte) RecordType.RAW.code()).putShort((short) region).putLong(index).put(page, off, pageSize);
    }

    /** An all-zero page. */
    public void zero(int region, long index) throws IOException {
        checkPage(region, index);
        reserve(ZERO_SIZE);
        frame.put((byte) RecordType.ZERO.code()).putShort((short) region).putLong(index);
    }

    /**
     * An XBZRLE delta against the page the destination holds.
     *
     * @param len the delta's length, 0..pageSize
     * @throws IllegalArgumentException if the header says XBZRLE is off or the delta is longer than a page
     */
    public void xbzrle(int region, long index, byte[] delta, int off, int len) throws IOException {
        requireNonNull(delta, "delta is null");
        Objects.checkFromIndexSize(off, len, delta.length);
        if (!header.xbzrle()) {
            throw new IllegalArgumentException("XBZRLE record in a stream whose header has xbzrle off");
        }
        if (len > pageSize) {
            throw new IllegalArgumentException("XBZRLE delta of " + len + " bytes is longer than the page size " + pageSize);
        }
        checkPage(region, index);
        reserve(XBZRLE_FIXED + len);
        frame.put((byte) RecordType.XBZRLE.code()).putShort((short) region).putLong(index).putInt(len)
                .put(delta, off, len);
    }

    /** The end of a pre-copy round with its counters; the frame is flushed. */
    public void roundEnd(long round, long pages, long bytes) throws IOException {
        reserve(ROUND_END_SIZE);
        frame.put((byte) RecordType.ROUND_END.code()).putLong(round).putLong(pages).putLong(bytes);
        flush();
    }

    /**
     * The end of a successful migration; the frame is flushed and no record may follow.
     *
     * @param pageCount the number of pages the digest covers
     * @param sha256Digest the 32-byte SHA-256 of the final memory
     */
    public void complete(long pageCount, byte[] sha256Digest) throws IOException {
        requireNonNull(sha256Digest, "sha256Digest is null");
        if (sha256Digest.length != DIGEST_LENGTH) {
            throw new IllegalArgumentException("digest is " + sha256Digest.length + " bytes; must be " + DIGEST_LENGTH);
        }
        reserve(COMPLETE_SIZE);
        frame.put((byte) RecordType.COMPLETE.code()).putLong(pageCount).put(sha256Digest);
        ended = true;
        flush();
    }

    /**
     * The source gives up; the frame is flushed and no record may follow.
     *
     * @param reason why, for people; cut to {@value #MAX_REASON_BYTES} bytes of UTF-8
     */
    public void abort(String reason) throws IOException {
        requireNonNull(reason, "reason is null");
        byte[] text = Utf8.truncated(reason, MAX_REASON_BYTES);
        reserve(ABORT_FIXED + text.length);
        frame.put((byte) RecordType.ABORT.code()).putShort((short) text.length).put(text);
        ended = true;
        flush();
    }

    /** Sends the records buffered so far (nothing if there are none) and waits until they are written. */
    public void flush() throws IOException {
        checkUsable();
        writeFrame();
        if (sender != null) {
            boolean ok = false;
            try {
                sender.drain();
                ok = true;
            } finally {
                failed |= !ok;
            }
        }
    }

    /**
     * Stops the writing thread, if any, dropping frames not yet written (call {@link #flush()}
     * first to keep them). Does not close the channel. Idempotent; the writer is unusable after.
     */
    @Override
    public void close() {
        if (sender != null) {
            failed = true;
            sender.close();
        }
    }

    private void checkUsable() {
        if (failed) {
            throw new IllegalStateException("the stream writer failed earlier or is closed; the stream is unusable");
        }
    }

    private void checkPage(int region, long index) {
        long pages = regions.pages(region);
        if (pages < 0) {
            throw new IllegalArgumentException("no region of id " + region + " in the stream header");
        }
        if (index < 0 || index >= pages) {
            throw new IllegalArgumentException("page index " + index + " is outside region " + region
                    + " (" + pages + " pages)");
        }
    }

    /** Makes room for a record of {@code size} bytes, sending the current frame if it would overflow. */
    private void reserve(int size) throws IOException {
        checkUsable();
        if (ended) {
            throw new IllegalStateException("no record may follow COMPLETE or ABORT");
        }
        if (frame.position() - 4 + size > capacity) {
            writeFrame();
        }
    }

    private void writeFrame() throws IOException {
        int len = frame.position() - 4;
        if (len == 0) {
            return;
        }
        byte[] a = frame.array();
        crc.reset();
        crc.update(a, 4, len);
        frame.putInt(0, len);
        frame.putInt((int) crc.getValue());
        frame.flip();
        if (sender == null) {
            send(frame);
            frame.clear();
        } else {
            int size = frame.remaining();
            boolean ok = false;
            try {
                frame = sender.submit(frame);
                ok = true;
            } finally {
                failed |= !ok;
            }
            bytesWritten += size;
        }
        frame.position(4);
    }

    private void writeHeader() throws IOException {
        int size = 4 + 2 + 4 + 2 + header.regions().size() * (2 + 1 + Region.MAX_NAME_BYTES + 8)
                + 1 + 1 + StreamHeader.MAX_CODEC_LENGTH * 3 + 4;
        ByteBuffer b = ByteBuffer.allocate(size);
        b.put(MAGIC).putShort((short) header.version()).putInt(pageSize).putShort((short) header.regions().size());
        for (Region r : header.regions()) {
            byte[] name = r.name().getBytes(StandardCharsets.UTF_8);
            b.putShort((short) r.id()).put((byte) name.length).put(name).putLong(r.pages());
        }
        byte[] codec = header.codec().getBytes(StandardCharsets.UTF_8);
        b.put((byte) (header.xbzrle() ? FLAG_XBZRLE : 0)).put((byte) codec.length).put(codec);
        crc.reset();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        b.flip();
        send(b);
    }

    private void send(ByteBuffer b) throws IOException {
        boolean ok = false;
        try {
            while (b.hasRemaining()) {
                bytesWritten += channel.write(b);
            }
            ok = true;
        } finally {
            if (!ok) {
                failed = true;
            }
        }
    }
}
