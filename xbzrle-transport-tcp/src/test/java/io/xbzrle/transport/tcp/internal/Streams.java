package io.xbzrle.transport.tcp.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;

/** Test helpers: checksummed bulk writes and reads. */
final class Streams {
    static final int CHUNK = 256 * 1024;

    private Streams() {
    }

    /** Writes {@code total} bytes (a multiple of {@link #CHUNK}) of numbered random chunks; returns their CRC32C. */
    static long write(WritableByteChannel out, long total, long seed) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.BIG_ENDIAN);
        new SplittableRandom(seed).nextBytes(chunk.array());
        CRC32C crc = new CRC32C();
        for (long i = 0; i < total / CHUNK; i++) {
            chunk.clear();
            chunk.putLong(0, i);
            crc.update(chunk.array(), 0, CHUNK);
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
        }
        return crc.getValue();
    }

    /** Reads to end-of-stream; returns the CRC32C of what was read and (in {@code count[0]}) its length. */
    static long readAll(ReadableByteChannel in, ByteBuffer buffer, long[] count) throws IOException {
        CRC32C crc = new CRC32C();
        long n = 0;
        while (true) {
            buffer.clear();
            int r = in.read(buffer);
            if (r < 0) {
                break;
            }
            buffer.flip();
            crc.update(buffer);
            n += r;
        }
        count[0] = n;
        return crc.getValue();
    }

    /** Reads exactly {@code length} bytes. */
    static byte[] readExactly(ReadableByteChannel in, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        while (b.hasRemaining()) {
            if (in.read(b) < 0) {
                throw new IOException("end of stream after " + b.position() + " of " + length + " bytes");
            }
        }
        return b.array();
    }
}
