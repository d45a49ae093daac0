import io.xbzrle.api.transport.TransportProvider;
import io.xbzrle.transport.file.internal.FileTransportProvider;

/**
 * The {@code file} transport: the migration stream to and from a file ({@code file:/abs/path},
 * {@code file:relative/path}). A written file appears under its name only once the stream is
 * finished (fsync, then an atomic rename), so a failed migration never leaves a complete-looking
 * file. Exports nothing: it is used through {@link io.xbzrle.api.transport.TransportProvider}
 * under the scheme {@code file}; its settings live under {@code xbzrle.transport.file}.
 */
module io.xbzrle.transport.file {
    requires io.xbzrle.api;

    provides TransportProvider with FileTransportProvider;
}
