package io.xbzrle.transport.file.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;
import io.xbzrle.api.transport.Connection;
import io.xbzrle.api.transport.Listener;
import io.xbzrle.api.transport.Transport;
import io.xbzrle.api.transport.TransportException;
import io.xbzrle.api.transport.TransportProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
final class FileTransportTest {
    private static final int CHUNK = 256 * 1024;

    @TempDir
    Path dir;

    private final Transport transport = new FileTransportProvider().create(ConfigFactory.empty());

    @Test
    void serviceLoaderFindsTheFileTransport() {
        getClass().getModule().addUses(TransportProvider.class);
        TransportProvider provider = ServiceLoader.load(TransportProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.scheme().equals("file"))
                .findFirst().orElseThrow();
        assertTrue(provider.create(ConfigFactory.empty()) instanceof FileTransport);
    }

    @Test
    void roundTripAppearsOnlyWhenFinished() throws Exception {
        Path target = dir.resolve("guest.xbzrle");
        URI uri = target.toUri();
        long crc;
        try (Connection c = transport.connect(uri)) {
            assertTrue(c.returnPath().isEmpty());
            assertThrows(NonReadableChannelException.class, () -> c.stream().read(ByteBuffer.allocate(1)));
            crc = write(c, 64L << 20, 1);
            assertFalse(Files.exists(target), "visible before finish()");
            Path temporary = ((FileWriteConnection) c).temporary();
            assertEquals(dir, temporary.getParent());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(temporary)));
            c.finish();
            c.finish(); // idempotent
            assertTrue(Files.exists(target));
        }
        assertEquals(List.of(target), files(dir), "only the target is left");
        try (Listener listener = transport.listen(uri); Connection c = listener.accept()) {
            assertTrue(c.returnPath().isEmpty());
            assertThrows(NonWritableChannelException.class, () -> c.stream().write(ByteBuffer.allocate(1)));
            long[] count = new long[1];
            assertEquals(crc, read(c, count));
            assertEquals(64L << 20, count[0]);
            TransportException again = assertThrows(TransportException.class, listener::accept);
            assertEquals(uri + ": already accepted: a file holds one migration stream", again.getMessage());
        }
    }

    @Test
    void relativeUrisResolveAgainstTheWorkingDirectory() throws Exception {
        Path folder = Files.createDirectories(Path.of("target", "relative-uri-test"));
        Path target = folder.resolve("stream.bin");
        Files.deleteIfExists(target);
        URI uri = URI.create("file:target/relative-uri-test/stream.bin");
        try (Connection c = transport.connect(uri)) {
            c.stream().write(ByteBuffer.wrap(new byte[] {4, 5, 6}));
            c.finish();
        }
        assertArrayEquals(new byte[] {4, 5, 6}, Files.readAllBytes(target));
        try (Listener l = transport.listen(uri); Connection c = l.accept()) {
            ByteBuffer b = ByteBuffer.allocate(8);
            assertEquals(3, c.stream().read(b));
            assertEquals(-1, c.stream().read(b));
        }
        Files.delete(target);
    }

    @Test
    void anAbandonedWriteLeavesNothingAndKeepsTheOlderFile() throws Exception {
        Path target = dir.resolve("guest.xbzrle");
        Files.write(target, new byte[] {1});
        try (Connection c = transport.connect(target.toUri())) {
            write(c, 4L << 20, 2);
        }
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(target));
        assertEquals(List.of(target), files(dir));
    }

    @Test
    void finishReplacesAnOlderFile() throws Exception {
        Path target = dir.resolve("guest.xbzrle");
        Files.write(target, new byte[] {1, 2, 3, 4});
        try (Connection c = transport.connect(target.toUri())) {
            c.stream().write(ByteBuffer.wrap(new byte[] {9}));
            c.finish();
        }
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(target));
    }

    @Test
    void aFullDiskFailsTheWriteAndLeavesNothing() throws Exception {
        Path target = dir.resolve("guest.xbzrle");
        Transport full = new FileTransport(new FileSettings(true), FullDisk.after(1 << 20));
        URI uri = target.toUri();
        try (Connection c = full.connect(uri)) {
            TransportException e = assertThrows(TransportException.class, () -> write(c, 8L << 20, 3));
            assertTrue(e.getMessage().startsWith(uri + ": write to "), e.getMessage());
            assertTrue(e.getMessage().endsWith(": No space left on device"), e.getMessage());
            TransportException finish = assertThrows(TransportException.class, c::finish);
            assertTrue(finish.getMessage().contains("an earlier write failed"), finish.getMessage());
        }
        assertEquals(List.of(), files(dir));
    }

    @Test
    void aFullTmpfsFailsTheWriteAndLeavesNothing() throws Exception {
        Path small = Files.createDirectory(dir.resolve("small"));
        assumeTrue(Mounts.tmpfs(small, "size=1m"), "needs root and mount to make a small tmpfs");
        try {
            URI uri = small.resolve("guest.xbzrle").toUri();
            try (Connection c = transport.connect(uri)) {
                TransportException e = assertThrows(TransportException.class, () -> write(c, 8L << 20, 4));
                assertTrue(e.getMessage().startsWith(uri + ": write to "), e.getMessage());
                assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("no space left"),
                        e.getMessage());
                assertThrows(TransportException.class, c::finish);
            }
            assertEquals(List.of(), files(small));
        } finally {
            Mounts.unmount(small);
        }
    }

    @Test
    void aTruncatedFileEndsEarlyWithoutError() throws Exception {
        Path target = dir.resolve("guest.xbzrle");
        try (Connection c = transport.connect(target.toUri())) {
            write(c, 1 << 20, 5);
            c.finish();
        }
        try (FileChannel f = FileChannel.open(target, StandardOpenOption.WRITE)) {
            f.truncate(1000);
        }
        try (Listener l = transport.listen(target.toUri()); Connection c = l.accept()) {
            long[] count = new long[1];
            read(c, count);
            assertEquals(1000, count[0]); // the stream's own records tell it is incomplete
        }
    }

    @Test
    void readingAMissingFileIsAClearError() {
        URI uri = dir.resolve("missing.xbzrle").toUri();
        TransportException e = assertThrows(TransportException.class, () -> transport.listen(uri));
        assertEquals(uri + ": cannot read " + dir.resolve("missing.xbzrle") + ": no such file", e.getMessage());
    }

    @Test
    void readingAFolderOrAnUnreadableFileIsAClearError() throws Exception {
        TransportException folder = assertThrows(TransportException.class, () -> transport.listen(URI.create("file:" + dir)));
        assertTrue(folder.getMessage().endsWith("is a folder, not a file"), folder.getMessage());
        Path secret = Files.write(dir.resolve("secret"), new byte[] {1});
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        if (!Files.isReadable(secret)) { // root reads anything
            TransportException e = assertThrows(TransportException.class, () -> transport.listen(secret.toUri()));
            assertTrue(e.getMessage().endsWith(": permission denied"), e.getMessage());
        }
    }

    @Test
    void writingIntoAnUnwritableFolderIsAClearError() throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        boolean mounted = false;
        try {
            if (canCreateIn(readOnly)) { // root ignores permissions: use a read-only file system
                mounted = Mounts.tmpfs(readOnly, "ro,size=64k");
                assumeTrue(mounted, "root without mount: cannot make an unwritable folder");
            }
            URI uri = readOnly.resolve("guest.xbzrle").toUri();
            TransportException e = assertThrows(TransportException.class, () -> transport.connect(uri));
            assertTrue(e.getMessage().startsWith(uri + ": cannot write in folder " + readOnly + ": "), e.getMessage());
        } finally {
            if (mounted) {
                Mounts.unmount(readOnly);
            }
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwx------"));
        }
        URI missing = dir.resolve("no-such-folder/guest.xbzrle").toUri();
        TransportException e = assertThrows(TransportException.class, () -> transport.connect(missing));
        assertEquals(missing + ": cannot write: folder " + dir.resolve("no-such-folder") + " does not exist",
                e.getMessage());
    }

    @Test
    void refusesUrisThatAreNotLocalFiles() {
        for (String bad : new String[] {"file://host/x", "file:/x#y", "file:/x/", "tcp://h:1", "file:"}) {
            assertThrows(IllegalArgumentException.class, () -> transport.connect(URI.create(bad)), bad);
        }
        assertEquals(Path.of("/a b/c").toAbsolutePath(), FilePaths.parse(URI.create("file:/a%20b/c")));
        assertEquals(Path.of("/x"), FilePaths.parse(URI.create("file:///x")));
        assertEquals(Path.of("/x"), FilePaths.parse(URI.create("file://localhost/x")));
        assertEquals(Path.of("rel/x").toAbsolutePath(), FilePaths.parse(URI.create("file:rel/x")));
    }

    @Test
    void settingsAreCheckedNamingTheKey() {
        assertEquals(new FileSettings(true), FileSettings.from(ConfigFactory.empty()));
        assertEquals(FileSettings.from(ConfigFactory.empty()),
                FileSettings.from(ConfigFactory.defaultReference().getConfig("xbzrle.transport.file")));
        assertEquals(new FileSettings(false), FileSettings.from(ConfigFactory.parseString("fsync = false")));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> FileSettings.from(ConfigFactory.parseString("fsync = sometimes")));
        assertTrue(bad.getMessage().startsWith("xbzrle.transport.file.fsync: "), bad.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> FileSettings.from(ConfigFactory.parseString("fsnyc = true")));
        assertTrue(unknown.getMessage().startsWith("unknown setting xbzrle.transport.file.fsnyc"), unknown.getMessage());
    }

    private static boolean canCreateIn(Path folder) {
        try {
            Files.delete(Files.createTempFile(folder, "probe", ""));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        }
    }

    private static long write(Connection c, long total, long seed) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        new SplittableRandom(seed).nextBytes(chunk.array());
        CRC32C crc = new CRC32C();
        for (long i = 0; i < total / CHUNK; i++) {
            chunk.clear();
            chunk.putLong(0, i);
            crc.update(chunk.array(), 0, CHUNK);
            c.stream().write(chunk);
        }
        return crc.getValue();
    }

    private static long read(Connection c, long[] count) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK);
        CRC32C crc = new CRC32C();
        for (int n; (n = c.stream().read(buffer.clear())) >= 0; ) {
            count[0] += n;
            crc.update(buffer.flip());
        }
        return crc.getValue();
    }

    /** A sink that fills up after some bytes, like a full disk. */
    private static final class FullDisk {
        static Sink.Opener after(long capacity) {
            return temporary -> {
                Sink real = Sink.open(temporary);
                return new Sink() {
                    private long written;

                    @Override
                    public int write(ByteBuffer src) throws IOException {
                        if (written + src.remaining() > capacity) {
                            throw new IOException("No space left on device");
                        }
                        int n = real.write(src);
                        written += n;
                        return n;
                    }

                    @Override
                    public void force() throws IOException {
                        real.force();
                    }

                    @Override
                    public boolean isOpen() {
                        return real.isOpen();
                    }

                    @Override
                    public void close() throws IOException {
                        real.close();
                    }
                };
            };
        }
    }
}
