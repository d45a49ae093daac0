package io.xbzrle.api.transport;

import java.net.URI;
import java.nio.channels.ByteChannel;
import java.util.Optional;

/**
 * One migration's connection: the migration stream (source to destination) and an optional return
 * path (destination to source; absent for files).
 *
 * <p>On the source the stream is written and the return path read; on the destination the other
 * way round. Channels are blocking; a read or write that stalls longer than the transport's
 * configured timeout fails with {@link TransportException}. One thread may write while another
 * reads the other direction. The connection owns its channels: closing it closes them.
 */
public interface Connection extends AutoCloseable {

    /** The peer or file this connection is to, for messages. */
    URI endpoint();

    /** The migration stream. */
    ByteChannel stream();

    /** The return path, if this transport has one. */
    Optional<ByteChannel> returnPath();

    /**
     * Marks the stream as completely and successfully written and makes it durable (a file is
     * synced and renamed into place). Only a finished stream may look complete to a reader; a
     * connection closed without {@code finish()} leaves no complete-looking result.
     *
     * @throws TransportException if the data cannot be made durable
     */
    void finish() throws TransportException;

    /** Closes both channels; without a prior {@link #finish()} this abandons the stream. */
    @Override
    void close() throws TransportException;
}
