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
import java.nio.channels.NonReadableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The source's end of a file: writes a temporary file beside the target. {@link #finish()} forces
 * it to disk, renames it atomically over the target and forces the folder; {@link #close()}
 * without a successful {@code finish()} deletes it. After a failed write, {@code finish()} refuses,
 * so a stream with a hole can never be renamed into place. No return path.
 */
final class FileWriteConnection implements Connection {
    private final URI endpoint;
    private final Path target;
    private final Path temporary;
    private final Sink sink;
    private final boolean fsync;
    private final Stream stream = new Stream();
    private volatile boolean finished;
    private volatile boolean closed;
    private volatile boolean broken;

    FileWriteConnection(URI endpoint, Path target, Path temporary, Sink sink, boolean fsync) {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.target = requireNonNull(target, "target is null");
        this.temporary = requireNonNull(temporary, "temporary is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.fsync = fsync;
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

    /** The temporary file being written, for tests. */
    Path temporary() {
        return temporary;
    }

    @Override
    public synchronized void finish() throws TransportException {
        if (finished) {
            return;
        }
        if (closed) {
            throw new TransportException(endpoint, "cannot finish: the connection is closed");
        }
        if (broken) {
            throw new TransportException(endpoint, "cannot finish: an earlier write failed; "
                    + target + " was not written");
        }
        try {
            if (fsync) {
                sink.force();
            }
            sink.close();
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            finished = true;
        } catch (IOException e) {
            broken = true;
            throw new TransportException(endpoint, "cannot finish " + target + ": " + FileTransport.describe(e), e);
        }
        if (fsync) {
            try (FileChannel folder = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                folder.force(true);
            } catch (IOException e) {
                throw new TransportException(endpoint, "renamed into place, but cannot sync folder "
                        + target.getParent() + ": " + FileTransport.describe(e), e);
            }
        }
    }

    @Override
    public synchronized void close() throws TransportException {
        if (closed) {
            return;
        }
        closed = true;
        if (finished) {
            return;
        }
        IOException failure = null;
        try {
            sink.close();
        } catch (IOException e) {
            failure = e;
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            if (failure != null) {
                e.addSuppressed(failure);
            }
            throw new TransportException(endpoint, "cannot delete the unfinished " + temporary + ": "
                    + FileTransport.describe(e), e);
        }
    }

    /** The write-only stream. */
    private final class Stream implements ByteChannel {
        @Override
        public int read(ByteBuffer dst) {
            throw new NonReadableChannelException();
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (closed) {
                throw new ClosedChannelException();
            }
            if (finished) {
                throw new TransportException(endpoint, "write after finish(): the file is complete");
            }
            int total = src.remaining();
            try {
                while (src.hasRemaining()) {
                    sink.write(src);
                }
            } catch (IOException e) {
                broken = true;
                if (closed) {
                    throw e;
                }
                throw new TransportException(endpoint, "write to " + temporary + " failed: "
                        + FileTransport.describe(e), e);
            }
            return total;
        }

        @Override
        public boolean isOpen() {
            return !closed;
        }

        @Override
        public void close() throws IOException {
            FileWriteConnection.this.close();
        }
    }
}
