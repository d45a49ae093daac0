import io.xbzrle.api.transport.TransportProvider;
import io.xbzrle.transport.tcp.internal.TcpTransportProvider;

/**
 * The {@code tcp} transport: {@code tcp://host:port} (IPv4 and IPv6 literals, host names), with
 * optional TLS 1.3 and mutual authentication through JSSE (in {@code java.base}). Exports nothing:
 * it is used through {@link io.xbzrle.api.transport.TransportProvider} under the scheme
 * {@code tcp}; its settings live under {@code xbzrle.transport.tcp} (see {@code reference.conf}).
 */
module io.xbzrle.transport.tcp {
    requires io.xbzrle.api;

    provides TransportProvider with TcpTransportProvider;
}
