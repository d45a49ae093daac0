package io.xbzrle.transport.file.internal;

import com.typesafe.config.Config;
import io.xbzrle.api.transport.Transport;
import io.xbzrle.api.transport.TransportProvider;

/**
 * The {@code file} transport's provider, found by {@link java.util.ServiceLoader}: answers
 * {@code file:/abs/path} and {@code file:relative/path}. {@link #create(Config)} takes the
 * {@code xbzrle.transport.file} subtree.
 */
public final class FileTransportProvider implements TransportProvider {

    /** For {@link java.util.ServiceLoader}. */
    public FileTransportProvider() {
        // Stateless.
    }

    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public Transport create(Config config) {
        return new FileTransport(FileSettings.from(config));
    }
}
