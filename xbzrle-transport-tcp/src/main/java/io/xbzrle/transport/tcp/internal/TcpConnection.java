package io.xbzrle.transport.tcp.internal;

import static java.util.Objects.requireNonNull;

import io.xbzrle.api.transport.Connection;
import io.xbzrle.api.transport.TransportException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;

/**
 * A TCP (or TLS over TCP) connection. The stream and the return path are the two directions of
 * one socket: on the source the stream writes and the return path reads, on the destination the
 * other way round. A channel used in the wrong direction throws {@link NonReadableChannelException}
 * or {@link NonWritableChannelException}.
 *
 * <p>Reads time out through SO_TIMEOUT, writes through a {@link WriteWatchdog}; both after the
 * configured I/O timeout without progress. Heap buffers are read and written in place; direct
 * buffers go through a 64 KiB copy buffer. {@link #finish()} shuts down this side's output (a TLS
 * close_notify, then a TCP FIN): the peer reads end-of-stream and can still answer. A source
 * connection closed without {@code finish()} is reset (TCP RST), so the destination sees an
 * aborted migration rather than a clean end. Closing either channel closes the connection.
 */
final class TcpConnection implements Connection {
    static final int WRITE_CHUNK = 1 << 20;
    private static final int COPY_BUFFER = 64 * 1024;

    private final URI endpoint;
    private final Socket raw;
    private final Socket socket;
    private final boolean source;
    private final Duration ioTimeout;
    private final InputStream in;
    private final OutputStream out;
    private final WriteWatchdog watchdog;
    private final Inbound inbound = new Inbound();
    private final Outbound outbound = new Outbound();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean finished;
    private volatile boolean broken;

    /**
     * @param raw the TCP socket, with SO_TIMEOUT already set to the I/O timeout
     * @param socket {@code raw} or the TLS socket over it, handshake done
     * @param source whether this is the source's end
     */
    TcpConnection(URI endpoint, Socket raw, Socket socket, boolean source, Duration ioTimeout) throws IOException {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.raw = requireNonNull(raw, "raw is null");
        this.socket = requireNonNull(socket, "socket is null");
        this.source = source;
        this.ioTimeout = requireNonNull(ioTimeout, "ioTimeout is null");
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.watchdog = new WriteWatchdog(raw, ioTimeout, "xbzrle-tcp-write-watchdog " + endpoint);
        this.watchdog.start();
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public ByteChannel stream() {
        return source ? outbound : inbound;
    }

    @Override
    public Optional<ByteChannel> returnPath() {
        return Optional.of(source ? inbound : outbound);
    }

    @Override
    public synchronized void finish() throws TransportException {
        if (closed.get()) {
            throw new TransportException(endpoint, "cannot finish: the connection is closed");
        }
        if (broken) {
            throw new TransportException(endpoint, "cannot finish: an earlier read or write failed");
        }
        if (finished) {
            return;
        }
        try {
            out.flush();
            socket.shutdownOutput();
            finished = true;
        } catch (IOException e) {
            broken = true;
            throw failure("finish failed", e);
        }
    }

    @Override
    public void close() throws TransportException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        watchdog.stop();
        try {
            if (source && !finished) {
                raw.setSoLinger(true, 0); // abort: the destination sees a reset, not a clean end
            }
        } catch (IOException ignored) {
            // Closing anyway.
        }
        // Close the TCP socket first: closing a TLS socket writes close_notify, which would block
        // on a peer that reads nothing. A finished connection has sent its close_notify already.
        try {
            raw.close();
        } catch (IOException ignored) {
            // Nothing to release that close did not release.
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // The TCP socket is closed; only TLS bookkeeping remains.
        }
    }

    private TransportException failure(String what, IOException e) {
        broken = true;
        return new TransportException(endpoint, what + ": " + describe(e), e);
    }

    private IOException readFailure(IOException e) {
        if (closed.get()) {
            return closedDuringIo(e);
        }
        if (e instanceof SocketTimeoutException) {
            broken = true;
            return new TransportException(endpoint, "read timed out: the peer sent nothing for "
                    + TcpSettings.format(ioTimeout) + " (peer stalled)", e);
        }
        if (watchdog.fired()) {
            return stalledWrite(e);
        }
        return failure("read failed", e);
    }

    private IOException writeFailure(IOException e) {
        if (watchdog.fired()) {
            return stalledWrite(e);
        }
        if (closed.get()) {
            return closedDuringIo(e);
        }
        if (finished) {
            return new TransportException(endpoint, "write after finish(): the stream is already ended", e);
        }
        return failure("write failed", e);
    }

    private TransportException stalledWrite(IOException e) {
        broken = true;
        return new TransportException(endpoint, "write timed out: the peer accepted no data for "
                + TcpSettings.format(ioTimeout) + " (peer stalled); connection closed", e);
    }

    private static IOException closedDuringIo(IOException e) {
        AsynchronousCloseException c = new AsynchronousCloseException();
        c.initCause(e);
        return c;
    }

    /** The cause in a few words, for a one-line message. */
    static String describe(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String lower = m.toLowerCase(Locale.ROOT);
        if (lower.contains("broken pipe")) {
            return "connection closed by the peer (broken pipe)";
        }
        if (lower.contains("connection reset")) {
            return "connection reset by the peer";
        }
        if (e instanceof SSLException) {
            return "TLS error: " + m;
        }
        return m;
    }

    /** The direction this side reads. */
    private final class Inbound implements ByteChannel {
        private byte[] copy;

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (closed.get()) {
                throw new ClosedChannelException();
            }
            if (!dst.hasRemaining()) {
                return 0;
            }
            try {
                int n;
                if (dst.hasArray()) {
                    n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                    if (n > 0) {
                        dst.position(dst.position() + n);
                    }
                } else {
                    if (copy == null) {
                        copy = new byte[COPY_BUFFER];
                    }
                    n = in.read(copy, 0, Math.min(copy.length, dst.remaining()));
                    if (n > 0) {
                        dst.put(copy, 0, n);
                    }
                }
                return n;
            } catch (IOException e) {
                throw readFailure(e);
            }
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return !closed.get();
        }

        @Override
        public void close() throws IOException {
            TcpConnection.this.close();
        }
    }

    /** The direction this side writes. */
    private final class Outbound implements ByteChannel {
        private byte[] copy;

        @Override
        public int read(ByteBuffer dst) {
            throw new NonReadableChannelException();
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (closed.get()) {
                throw new ClosedChannelException();
            }
            int total = src.remaining();
            try {
                while (src.hasRemaining()) {
                    int len = Math.min(src.remaining(), WRITE_CHUNK);
                    watchdog.begin();
                    if (src.hasArray()) {
                        out.write(src.array(), src.arrayOffset() + src.position(), len);
                        src.position(src.position() + len);
                    } else {
                        if (copy == null) {
                            copy = new byte[COPY_BUFFER];
                        }
                        len = Math.min(len, copy.length);
                        src.get(copy, 0, len);
                        out.write(copy, 0, len);
                    }
                }
            } catch (IOException e) {
                throw writeFailure(e);
            } finally {
                watchdog.end();
            }
            return total;
        }

        @Override
        public boolean isOpen() {
            return !closed.get();
        }

        @Override
        public void close() throws IOException {
            TcpConnection.this.close();
        }
    }
}
