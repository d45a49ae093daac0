package io.xbzrle.migration.stream;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A message of the return path (destination to source, tcp only), written and read by
 * {@link ReturnMessages}. Immutable values.
 */
public sealed interface ReturnMessage permits ReturnMessage.Accepted, ReturnMessage.Refused, ReturnMessage.Result {

    /** The destination can take the stream its header describes; pages may follow. */
    record Accepted() implements ReturnMessage {
    }

    /**
     * The destination cannot take the stream its header describes (page size, a codec it lacks...).
     *
     * @param reason why, for people; cut to {@value ReturnMessages#MAX_TEXT_BYTES} bytes of UTF-8 on the wire
     */
    record Refused(String reason) implements ReturnMessage {
        public Refused {
            requireNonNull(reason, "reason is null");
        }
    }

    /**
     * The destination's verdict after switchover.
     *
     * @param match whether the destination's digest equals the one the source sent
     * @param digest the destination's 32-byte SHA-256 of its final memory (copied in and out)
     * @param error what went wrong on the destination, or the empty string; cut to
     *     {@value ReturnMessages#MAX_TEXT_BYTES} bytes of UTF-8 on the wire
     */
    record Result(boolean match, byte[] digest, String error) implements ReturnMessage {
        public Result {
            requireNonNull(digest, "digest is null");
            requireNonNull(error, "error is null");
            if (digest.length != StreamWriter.DIGEST_LENGTH) {
                throw new IllegalArgumentException("digest is " + digest.length + " bytes; must be " + StreamWriter.DIGEST_LENGTH);
            }
            digest = digest.clone();
        }

        @Override
        public byte[] digest() {
            return digest.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Result r && r.match == match && Arrays.equals(r.digest, digest) && r.error.equals(error);
        }

        @Override
        public int hashCode() {
            return (Boolean.hashCode(match) * 31 + Arrays.hashCode(digest)) * 31 + error.hashCode();
        }

        @Override
        public String toString() {
            return "Result[match=" + match + ", digest=" + HexFormat.of().formatHex(digest) + ", error=" + error + "]";
        }
    }
}
