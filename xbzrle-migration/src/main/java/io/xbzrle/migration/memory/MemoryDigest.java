package io.xbzrle.migration.memory;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The digest both sides compare after switchover: SHA-256 over every page in index order (nothing
 * else: not the page size, not the region's name). Identical memory gives identical digests. The
 * source hashes its paused guest, the destination its image.
 *
 * <p>Reads through {@link PageSource#readPage}, with one page buffer per call, on the caller's
 * thread (the one that owns the memory). Stateless.
 */
public final class MemoryDigest {

    private MemoryDigest() {
    }

    /** SHA-256 of every page of {@code pages}, in index order: 32 bytes. */
    public static byte[] sha256(PageSource pages) {
        Objects.requireNonNull(pages, "pages is null");
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e); // every JDK has it
        }
        byte[] page = new byte[pages.pageSize()];
        for (long i = 0, n = pages.pageCount(); i < n; i++) {
            pages.readPage(i, page, 0);
            digest.update(page);
        }
        return digest.digest();
    }

    /** {@link #sha256(PageSource)} as lowercase hex, as the result JSON's {@code verify.digest}. */
    public static String sha256Hex(PageSource pages) {
        return HexFormat.of().formatHex(sha256(pages));
    }
}
