package io.xbzrle.migration.stream;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 for names on the wire; lenient decoding for human-readable reasons. Stateless. */
final class Utf8 {
    private Utf8() {
    }

    /** The UTF-8 bytes of a string, rejecting unpaired surrogates (that would become '?'). */
    static byte[] encode(String s, String what) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid Unicode (unpaired surrogate)", e);
        }
    }

    /** Decodes strictly; {@code null} if the bytes are not valid UTF-8. */
    static String decodeStrict(byte[] b, int off, int len) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, off, len))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Decodes leniently (malformed bytes become U+FFFD), for messages meant for people. */
    static String decodeLenient(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.UTF_8);
    }

    /**
     * The UTF-8 bytes of a message, cut at a character boundary to at most {@code max} bytes.
     * Unpaired surrogates become '?'.
     */
    static byte[] truncated(String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= max) {
            return b;
        }
        int n = max;
        while (n > 0 && (b[n] & 0xC0) == 0x80) {
            n--;
        }
        byte[] out = new byte[n];
        System.arraycopy(b, 0, out, 0, n);
        return out;
    }
}
