package io.xbzrle.transport.file.internal;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Turns {@code file:} URIs into paths. */
final class FilePaths {
    private FilePaths() {
    }

    /**
     * {@code file:/abs/path}, {@code file:///abs/path}, {@code file://localhost/abs/path} or
     * {@code file:relative/path} (against the working directory), percent-decoded.
     *
     * @throws IllegalArgumentException if the URI is not a {@code file:} URI of a local path
     */
    static Path parse(URI uri) {
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("file")) {
            throw new IllegalArgumentException(uri + ": not a file: URI");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException(uri + ": a file URI has no #fragment (write # in a name as %23)");
        }
        String path;
        if (uri.isOpaque()) {
            path = uri.getSchemeSpecificPart();
        } else {
            String authority = uri.getRawAuthority();
            if (authority != null && !authority.isEmpty() && !authority.equalsIgnoreCase("localhost")) {
                throw new IllegalArgumentException(uri + ": only local files: use file:/abs/path or file:relative/path");
            }
            if (uri.getRawQuery() != null) {
                throw new IllegalArgumentException(uri + ": a file URI has no ?query (write ? in a name as %3F)");
            }
            path = uri.getPath();
        }
        if (path == null || path.isEmpty() || path.endsWith("/")) {
            throw new IllegalArgumentException(uri + ": expected the path of a file, such as file:/var/tmp/guest.xbzrle");
        }
        try {
            return Path.of(path).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(uri + ": not a valid path: " + e.getMessage(), e);
        }
    }
}
