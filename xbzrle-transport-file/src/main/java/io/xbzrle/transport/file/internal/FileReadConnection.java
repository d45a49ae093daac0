package io.xbzrle.transport.file.internal;

import static java.util.Objects.requireNonNull;

import io.xbzrle.api.transport.Connection;
import io.xbzrle.api.transport.TransportException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.util.Optional;

/**
 * The destination's end of a file: reads it from the start to its end, then end-of-stream. A
 * truncated file simply ends early: the migration stream's own records tell that it is incomplete.
 * {@link #finish()} has nothing to make durable and does nothing. No return path.
 */
final class FileReadConnection implements Connection {
    private final URI endpoint;
    private final FileChannel channel;
    private final Stream stream = new Stream();

    FileReadConnection(URI endpoint, FileChannel channel) {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.channel = requireNonNull(channel, "channel is null");
    }

    @Override
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public ByteChannel stream() {
        return stream;
    }

    @Override
    public Optional<ByteChannel> returnPath() {
        return Optional.empty();
    }

    @Override
    public void finish() throws TransportException {
        if (!channel.isOpen()) {
            throw new TransportException(endpoint, "cannot finish: the connection is closed");
        }
    }

    @Override
    public void close() throws TransportException {
        try {
            channel.close();
        } catch (IOException e) {
            throw new TransportException(endpoint, "cannot close: " + FileTransport.describe(e), e);
        }
    }

    /** The read-only stream. */
    private final class Stream implements ByteChannel {
        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!channel.isOpen()) {
                throw new ClosedChannelException();
            }
            try {
                return channel.read(dst);
            } catch (ClosedChannelException e) {
                throw e;
            } catch (IOException e) {
                throw new TransportException(endpoint, "read failed: " + FileTransport.describe(e), e);
            }
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            FileReadConnection.this.close();
        }
    }
}
