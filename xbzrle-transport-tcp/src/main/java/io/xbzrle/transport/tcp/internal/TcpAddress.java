package io.xbzrle.transport.tcp.internal;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * A {@code tcp://host:port} address: an IPv4 literal, a bracketed IPv6 literal or a host name.
 *
 * @param host the host without IPv6 brackets
 * @param port the port, 0 only for listening
 */
record TcpAddress(String host, int port) {

    TcpAddress {
        requireNonNull(host, "host is null");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not in 0..65535");
        }
    }

    /**
     * Parses a URI.
     *
     * @param anyPort whether port 0 (listen on a free port) is allowed
     * @throws IllegalArgumentException if it is not {@code tcp://host:port}
     */
    static TcpAddress parse(URI uri, boolean anyPort) {
        requireNonNull(uri, "uri is null");
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("tcp")) {
            throw new IllegalArgumentException(uri + ": not a tcp:// URI");
        }
        String host = uri.getHost();
        if (uri.isOpaque() || host == null || host.isEmpty()) {
            throw new IllegalArgumentException(uri + ": expected tcp://host:port with a host name, an IPv4 "
                    + "address or a bracketed IPv6 address, such as tcp://[::1]:4444");
        }
        if (uri.getPort() < 0) {
            throw new IllegalArgumentException(uri + ": missing port, expected tcp://host:port");
        }
        if (uri.getPort() == 0 && !anyPort) {
            throw new IllegalArgumentException(uri + ": port 0 can only be listened on");
        }
        if (uri.getUserInfo() != null || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()
                && !uri.getRawPath().equals("/")) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(uri + ": a tcp URI has only a host and a port");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new TcpAddress(host, uri.getPort());
    }

    /** {@code tcp://host:port}, with brackets around an IPv6 literal. */
    URI uri() {
        return uri(host, port);
    }

    static URI uri(String host, int port) {
        try {
            return new URI("tcp", null, host, port, null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("tcp://" + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    static URI uri(InetSocketAddress address) {
        return uri(address.getAddress().getHostAddress().replaceFirst("%.*$", ""), address.getPort());
    }
}
