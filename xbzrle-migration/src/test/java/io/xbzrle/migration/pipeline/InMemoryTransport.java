package io.xbzrle.migration.pipeline;

import io.xbzrle.api.transport.Connection;
import io.xbzrle.api.transport.Listener;
import io.xbzrle.api.transport.Transport;
import io.xbzrle.api.transport.TransportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A transport in one process: the stream and the return path are {@link Pipe}s. {@link #connect}
 * hands the destination's end to {@link #accept()}. Optionally without a return path (as a file),
 * keeping a copy of every stream byte, or failing the source's stream after some bytes.
 */
final class InMemoryTransport implements Transport {
    static final URI ENDPOINT = URI.create("mem://test");

    /** Called when the fake stream fails, before the exception is thrown. */
    interface FailureHook {
        void failing();
    }

    private final boolean returnPath;
    private final long failAfter;
    private final FailureHook hook;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();
    private final BlockingQueue<Connection> incoming = new LinkedBlockingQueue<>();

    private InMemoryTransport(boolean returnPath, long failAfter, FailureHook hook) {
        this.returnPath = returnPath;
        this.failAfter = failAfter;
        this.hook = hook;
    }

    /** With a return path, as tcp. */
    static InMemoryTransport duplex() {
        return new InMemoryTransport(true, -1, () -> { });
    }

    /** Without a return path, as a file. */
    static InMemoryTransport oneWay() {
        return new InMemoryTransport(false, -1, () -> { });
    }

    /** The source's stream throws an IOException once {@code bytes} bytes went through. */
    static InMemoryTransport failingAfter(long bytes, FailureHook hook) {
        return new InMemoryTransport(true, bytes, hook);
    }

    /** Every byte the source wrote to the stream. */
    byte[] streamBytes() {
        synchronized (copy) {
            return copy.toByteArray();
        }
    }

    @Override
    public Connection connect(URI uri) throws TransportException {
        try {
            Pipe stream = Pipe.open();
            Pipe back = returnPath ? Pipe.open() : null;
            Connection source = new End(new Channel(null, stream.sink(), failAfter, hook, copy),
                    back == null ? null : new Channel(back.source(), null, -1, hook, null), true);
            Connection destination = new End(new Channel(stream.source(), null, -1, hook, null),
                    back == null ? null : new Channel(null, back.sink(), -1, hook, null), false);
            incoming.add(destination);
            return source;
        } catch (IOException e) {
            throw new TransportException(uri, "cannot open pipes", e);
        }
    }

    @Override
    public Listener listen(URI uri) {
        return new Listener() {
            @Override
            public URI address() {
                return ENDPOINT;
            }

            @Override
            public Connection accept() throws TransportException {
                return InMemoryTransport.this.accept();
            }

            @Override
            public void close() {
            }
        };
    }

    /** The destination's end of the next connection; waits at most 30 s. */
    Connection accept() throws TransportException {
        try {
            Connection c = incoming.poll(30, TimeUnit.SECONDS);
            if (c == null) {
                throw new TransportException(ENDPOINT, "no source connected within 30 s");
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException(ENDPOINT, "interrupted", e);
        }
    }

    /** One direction or the other of a pipe, as a blocking byte channel (not selectable). */
    private static final class Channel implements ByteChannel {
        private final ReadableByteChannel in;
        private final WritableByteChannel out;
        private final long failAfter;
        private final FailureHook hook;
        private final ByteArrayOutputStream copy;
        private long written;

        Channel(ReadableByteChannel in, WritableByteChannel out, long failAfter, FailureHook hook,
                ByteArrayOutputStream copy) {
            this.in = in;
            this.out = out;
            this.failAfter = failAfter;
            this.hook = hook;
            this.copy = copy;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (in == null) {
                throw new IOException("write-only channel");
            }
            return in.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (out == null) {
                throw new IOException("read-only channel");
            }
            if (failAfter >= 0 && written + src.remaining() > failAfter) {
                if (written < failAfter) {
                    ByteBuffer part = src.slice().limit((int) (failAfter - written));
                    written += writeAll(part);
                    src.position(src.position() + part.position());
                }
                hook.failing();
                throw new IOException("connection reset by the fake peer after " + failAfter + " bytes");
            }
            int start = src.position();
            int n = writeAll(src);
            if (copy != null) {
                synchronized (copy) {
                    copy.write(src.array(), src.arrayOffset() + start, n);
                }
            }
            written += n;
            return n;
        }

        private int writeAll(ByteBuffer b) throws IOException {
            int n = 0;
            while (b.hasRemaining()) {
                n += out.write(b);
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return (in == null || in.isOpen()) && (out == null || out.isOpen());
        }

        @Override
        public void close() throws IOException {
            if (in != null) {
                in.close();
            }
            if (out != null) {
                out.close();
            }
        }
    }

    private static final class End implements Connection {
        private final Channel stream;
        private final Channel back;
        private final boolean source;

        End(Channel stream, Channel back, boolean source) {
            this.stream = stream;
            this.back = back;
            this.source = source;
        }

        @Override
        public URI endpoint() {
            return ENDPOINT;
        }

        @Override
        public ByteChannel stream() {
            return stream;
        }

        @Override
        public Optional<ByteChannel> returnPath() {
            return Optional.ofNullable(back);
        }

        @Override
        public void finish() throws TransportException {
            if (source) {
                try {
                    stream.close(); // end of stream for the reader; the return path stays open
                } catch (IOException e) {
                    throw new TransportException(ENDPOINT, "finish", e);
                }
            }
        }

        @Override
        public void close() throws TransportException {
            try {
                stream.close();
                if (back != null) {
                    back.close();
                }
            } catch (IOException e) {
                throw new TransportException(ENDPOINT, "close", e);
            }
        }
    }
}
