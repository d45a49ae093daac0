package io.xbzrle.transport.file.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Where a written stream goes: the temporary file. A seam so that tests can inject a full disk. */
interface Sink extends WritableByteChannel {

    /** Forces the written data to the storage device. */
    void force() throws IOException;

    /** Opens the sink for a temporary file that already exists. */
    @FunctionalInterface
    interface Opener {
        Sink open(Path temporary) throws IOException;
    }

    /** The real one: a {@link FileChannel}. */
    static Sink open(Path temporary) throws IOException {
        FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        return new Sink() {
            @Override
            public int write(java.nio.ByteBuffer src) throws IOException {
                return channel.write(src);
            }

            @Override
            public void force() throws IOException {
                channel.force(true);
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
