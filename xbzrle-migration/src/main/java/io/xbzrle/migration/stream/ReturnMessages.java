package io.xbzrle.migration.stream;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.zip.CRC32C;

/**
 * Writes and reads the return path's messages (destination to source, over tcp): ACCEPTED or
 * REFUSED after the header, RESULT after switchover. Each is one frame like the stream's:
 * {@code u32 payload length, payload, u32 CRC32C(payload)}, big-endian, the payload being
 * <pre>
 * ACCEPTED = u8 1
 * REFUSED  = u8 2, u16 length, reason (UTF-8)
 * RESULT   = u8 3, u8 match (0 or 1), digest[32], u16 length, error (UTF-8, empty if none)
 * </pre>
 * Texts are cut to {@value #MAX_TEXT_BYTES} bytes at a character boundary.
 *
 * <p>Stateless and thread-safe; allocates per message (a few per migration). The caller owns the
 * channels. A message that is truncated or corrupt throws {@link StreamException}; I/O errors of
 * the channel propagate unchanged.
 */
public final class ReturnMessages {
    /** The longest reason or error on the wire, in UTF-8 bytes. */
    public static final int MAX_TEXT_BYTES = 1000;

    static final int ACCEPTED = 1;
    static final int REFUSED = 2;
    static final int RESULT = 3;
    /** The largest payload a valid message has. */
    static final int MAX_PAYLOAD = 1 + 1 + StreamWriter.DIGEST_LENGTH + 2 + MAX_TEXT_BYTES;

    private ReturnMessages() {
    }

    /** Writes ACCEPTED. */
    public static void accepted(WritableByteChannel channel) throws IOException {
        write(channel, new ReturnMessage.Accepted());
    }

    /** Writes REFUSED with a reason. */
    public static void refused(WritableByteChannel channel, String reason) throws IOException {
        write(channel, new ReturnMessage.Refused(reason));
    }

    /** Writes RESULT: whether the digests matched, the destination's digest, an error or "". */
    public static void result(WritableByteChannel channel, boolean match, byte[] digest, String error) throws IOException {
        write(channel, new ReturnMessage.Result(match, digest, error));
    }

    /** Writes one message as one frame. */
    public static void write(WritableByteChannel channel, ReturnMessage message) throws IOException {
        requireNonNull(channel, "channel is null");
        requireNonNull(message, "message is null");
        Io.requireBlocking(channel);
        ByteBuffer b = ByteBuffer.allocate(4 + MAX_PAYLOAD + 4);
        b.position(4);
        if (message instanceof ReturnMessage.Accepted) {
            b.put((byte) ACCEPTED);
        } else if (message instanceof ReturnMessage.Refused r) {
            byte[] text = Utf8.truncated(r.reason(), MAX_TEXT_BYTES);
            b.put((byte) REFUSED).putShort((short) text.length).put(text);
        } else {
            ReturnMessage.Result r = (ReturnMessage.Result) message;
            byte[] text = Utf8.truncated(r.error(), MAX_TEXT_BYTES);
            b.put((byte) RESULT).put((byte) (r.match() ? 1 : 0)).put(r.digest()).putShort((short) text.length).put(text);
        }
        int len = b.position() - 4;
        b.putInt(0, len);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 4, len);
        b.putInt((int) crc.getValue());
        b.flip();
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    /**
     * Reads one message.
     *
     * @throws StreamException if the channel ends before a whole message, or the message is not valid
     */
    public static ReturnMessage read(ReadableByteChannel channel) throws IOException {
        requireNonNull(channel, "channel is null");
        Io.requireBlocking(channel);
        ByteBuffer head = ByteBuffer.allocate(4);
        int n = Io.readFully(channel, head);
        if (n == 0) {
            throw new StreamException("return path: closed by the peer before a message");
        }
        if (n < 4) {
            throw new StreamException("return path: ended inside a message (truncated?)");
        }
        long len = Integer.toUnsignedLong(head.getInt(0));
        if (len == 0 || len > MAX_PAYLOAD) {
            throw new StreamException("return path: message length " + len + " is outside 1.." + MAX_PAYLOAD
                    + " (corrupt message)");
        }
        ByteBuffer b = ByteBuffer.allocate((int) len + 4);
        if (Io.readFully(channel, b) < len + 4) {
            throw new StreamException("return path: ended inside a message (truncated?)");
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, (int) len);
        if ((int) crc.getValue() != b.getInt((int) len)) {
            throw new StreamException("return path: message CRC32C mismatch (corrupt message)");
        }
        b.limit((int) len).position(0);
        int type = b.get() & 0xFF;
        ReturnMessage m;
        switch (type) {
            case ACCEPTED:
                m = new ReturnMessage.Accepted();
                break;
            case REFUSED:
                m = new ReturnMessage.Refused(text(b, "REFUSED"));
                break;
            case RESULT: {
                need(b, 1 + StreamWriter.DIGEST_LENGTH, "RESULT");
                int match = b.get() & 0xFF;
                if (match > 1) {
                    throw new StreamException("return path: RESULT match flag " + match + " is not 0 or 1 (corrupt message)");
                }
                byte[] digest = new byte[StreamWriter.DIGEST_LENGTH];
                b.get(digest);
                m = new ReturnMessage.Result(match == 1, digest, text(b, "RESULT"));
                break;
            }
            default:
                throw new StreamException("return path: unknown message type " + type + " (corrupt message)");
        }
        if (b.hasRemaining()) {
            throw new StreamException("return path: " + b.remaining() + " extra bytes after the message (corrupt message)");
        }
        return m;
    }

    private static String text(ByteBuffer b, String what) throws StreamException {
        need(b, 2, what);
        int n = b.getShort() & 0xFFFF;
        if (n > MAX_TEXT_BYTES) {
            throw new StreamException("return path: " + what + " text of " + n + " bytes exceeds " + MAX_TEXT_BYTES
                    + " (corrupt message)");
        }
        need(b, n, what);
        String s = Utf8.decodeLenient(b.array(), b.position(), n);
        b.position(b.position() + n);
        return s;
    }

    private static void need(ByteBuffer b, int n, String what) throws StreamException {
        if (b.remaining() < n) {
            throw new StreamException("return path: " + what + " message runs past its frame (corrupt message)");
        }
    }
}
