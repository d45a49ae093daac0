package io.xbzrle.migration.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;

/** Test helpers: in-memory channels and hand-built wire bytes. */
final class Wire {
    private Wire() {
    }

    /** Takes the header (the first write), then throws the given exception. */
    static final class FailsAfterHeader implements WritableByteChannel {
        private final IOException failure;
        private boolean headerDone;

        FailsAfterHeader(IOException failure) {
            this.failure = failure;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (headerDone) {
                throw failure;
            }
            headerDone = true;
            int n = src.remaining();
            src.position(src.limit());
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** A channel whose writes wait while the gate is closed; counts what it took. */
    static final class Gate implements WritableByteChannel {
        final AtomicLong written = new AtomicLong();
        private volatile CountDownLatch latch = new CountDownLatch(0);

        void closeGate() {
            latch = new CountDownLatch(1);
        }

        void open() {
            latch.countDown();
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            try {
                latch.await();
            } catch (InterruptedException e) {
                throw new InterruptedIOException();
            }
            int n = src.remaining();
            src.position(src.limit());
            written.addAndGet(n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /**
     * Gives the bytes up to {@code cut}, then throws {@code failure}, or, without one, waits (a
     * peer that sends nothing more) until {@link #release()}; counts what it gave.
     */
    static final class CutSource implements ReadableByteChannel {
        final AtomicLong position = new AtomicLong();
        private final byte[] data;
        private final int cut;
        private final IOException failure;
        private final CountDownLatch released = new CountDownLatch(1);

        CutSource(byte[] data, int cut, IOException failure) {
            this.data = data;
            this.cut = cut;
            this.failure = failure;
        }

        void release() {
            released.countDown();
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int pos = (int) position.get();
            if (pos == cut) {
                if (failure != null) {
                    throw failure;
                }
                try {
                    released.await();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
                return -1;
            }
            int n = Math.min(dst.remaining(), cut - pos);
            dst.put(data, pos, n);
            position.addAndGet(n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** A channel collecting what is written; with a random, writes take only part of the buffer. */
    static final class Sink implements WritableByteChannel {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final SplittableRandom random;
        private boolean open = true;

        Sink() {
            this(null);
        }

        Sink(SplittableRandom random) {
            this.random = random;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            if (random != null && n > 1) {
                n = 1 + random.nextInt(n);
            }
            byte[] b = new byte[n];
            src.get(b);
            out.write(b, 0, n);
            return n;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        int size() {
            return out.size();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    /** A channel over bytes; with a random, each read returns a random part of what was asked (sometimes 0). */
    static final class Source implements ReadableByteChannel {
        private final byte[] data;
        private final SplittableRandom random;
        private int pos;

        Source(byte[] data) {
            this(data, null);
        }

        Source(byte[] data, SplittableRandom random) {
            this.data = data;
            this.random = random;
        }

        @Override
        public int read(ByteBuffer dst) {
            if (pos == data.length) {
                return -1;
            }
            int n = Math.min(dst.remaining(), data.length - pos);
            if (random != null && n > 0) {
                n = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(n);
            }
            dst.put(data, pos, n);
            pos += n;
            return n;
        }

        int position() {
            return pos;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    /** A channel that fails every write. */
    static final class Broken implements WritableByteChannel {
        @Override
        public int write(ByteBuffer src) throws IOException {
            throw new IOException("connection reset");
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    static StreamHeader header(int pageSize) {
        return StreamHeader.v1(pageSize, List.of(new Region(0, "pc.ram", 64), new Region(7, "vga.vram", 4)), true, "xbzrle");
    }

    /** The header's bytes as a writer writes them. */
    static byte[] headerBytes(StreamHeader h) throws IOException {
        Sink s = new Sink();
        StreamWriter.open(s, h);
        return s.bytes();
    }

    /** A frame around a payload, with a correct length and CRC32C. */
    static byte[] frame(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return ByteBuffer.allocate(payload.length + 8).putInt(payload.length).put(payload)
                .putInt((int) crc.getValue()).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    /** Header fields written freely, for out-of-range values; {@code crc} appends a correct CRC32C. */
    static final class RawHeader {
        private final ByteBuffer b = ByteBuffer.allocate(1 << 16);

        RawHeader magic(String m) {
            b.put(m.getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        RawHeader u8(int v) {
            b.put((byte) v);
            return this;
        }

        RawHeader u16(int v) {
            b.putShort((short) v);
            return this;
        }

        RawHeader u32(int v) {
            b.putInt(v);
            return this;
        }

        RawHeader u64(long v) {
            b.putLong(v);
            return this;
        }

        RawHeader text(String s) {
            byte[] t = s.getBytes(StandardCharsets.UTF_8);
            b.put((byte) t.length).put(t);
            return this;
        }

        RawHeader crc() {
            CRC32C c = new CRC32C();
            c.update(b.array(), 0, b.position());
            b.putInt((int) c.getValue());
            return this;
        }

        byte[] bytes() {
            byte[] out = new byte[b.position()];
            System.arraycopy(b.array(), 0, out, 0, out.length);
            return out;
        }
    }
}
