package io.xbzrle.transport.file.internal;

import static java.util.Objects.requireNonNull;

import io.xbzrle.api.transport.Connection;
import io.xbzrle.api.transport.Listener;
import io.xbzrle.api.transport.TransportException;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;

/**
 * A file opened for reading. A file holds one migration stream: the first {@link #accept()}
 * returns it at once, and any later one fails at once ("already accepted") rather than blocking,
 * so a receiver serving a file never hangs. Closing the listener before {@code accept()} closes the
 * file; after it, the connection owns the file.
 */
final class FileListener implements Listener {
    private final URI address;
    private final FileChannel channel;
    private boolean accepted;
    private boolean closed;

    FileListener(URI address, FileChannel channel) {
        this.address = requireNonNull(address, "address is null");
        this.channel = requireNonNull(channel, "channel is null");
    }

    @Override
    public URI address() {
        return address;
    }

    @Override
    public synchronized Connection accept() throws TransportException {
        if (closed) {
            throw new TransportException(address, "listener closed");
        }
        if (accepted) {
            throw new TransportException(address, "already accepted: a file holds one migration stream");
        }
        accepted = true;
        return new FileReadConnection(address, channel);
    }

    @Override
    public synchronized void close() throws TransportException {
        if (closed) {
            return;
        }
        closed = true;
        if (!accepted) {
            try {
                channel.close();
            } catch (IOException e) {
                throw new TransportException(address, "cannot close: " + FileTransport.describe(e), e);
            }
        }
    }
}
