package io.xbzrle.transport.file.internal;

import static java.util.Objects.requireNonNull;

import io.xbzrle.api.transport.Connection;
import io.xbzrle.api.transport.Listener;
import io.xbzrle.api.transport.Transport;
import io.xbzrle.api.transport.TransportException;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@code file} transport. Immutable and thread-safe. {@code connect(file:PATH)} starts
 * writing a temporary file beside PATH; {@code listen(file:PATH)} opens PATH for reading.
 */
final class FileTransport implements Transport {
    private final FileSettings settings;
    private final Sink.Opener opener;

    FileTransport(FileSettings settings) {
        this(settings, Sink::open);
    }

    FileTransport(FileSettings settings, Sink.Opener opener) {
        this.settings = requireNonNull(settings, "settings is null");
        this.opener = requireNonNull(opener, "opener is null");
    }

    @Override
    public Connection connect(URI uri) throws TransportException {
        Path target = FilePaths.parse(requireNonNull(uri, "uri is null"));
        Path folder = target.getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw new TransportException(uri, "cannot write: folder " + folder + " does not exist");
        }
        if (Files.isDirectory(target)) {
            throw new TransportException(uri, "cannot write: " + target + " is a folder");
        }
        Path temporary;
        try {
            temporary = Files.createTempFile(folder, "." + target.getFileName() + ".", ".part");
        } catch (IOException e) {
            throw new TransportException(uri, "cannot write in folder " + folder + ": " + describe(e), e);
        }
        try {
            return new FileWriteConnection(uri, target, temporary, opener.open(temporary), settings.fsync());
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new TransportException(uri, "cannot write " + temporary + ": " + describe(e), e);
        }
    }

    @Override
    public Listener listen(URI uri) throws TransportException {
        Path file = FilePaths.parse(requireNonNull(uri, "uri is null"));
        if (Files.isDirectory(file)) {
            throw new TransportException(uri, "cannot read: " + file + " is a folder, not a file");
        }
        try {
            return new FileListener(uri, FileChannel.open(file, StandardOpenOption.READ));
        } catch (IOException e) {
            throw new TransportException(uri, "cannot read " + file + ": " + describe(e), e);
        }
    }

    /** The cause in a few words. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
