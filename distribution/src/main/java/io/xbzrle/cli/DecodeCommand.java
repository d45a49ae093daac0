package io.xbzrle.cli;

import static java.util.Objects.requireNonNull;

import io.xbzrle.api.codec.CorruptDeltaException;
import io.xbzrle.api.codec.PageCodec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code xbzrle decode}: applies a page-delta file (DESIGN §5) to a memory image. */
@Command(name = "decode", mixinStandardHelpOptions = true,
        description = {
            "Applies a page-delta file (as written by 'xbzrle encode' or QEMU's encoder) to --old and writes "
                + "the result to --out.",
            "The file must hold exactly one entry per page of --old; a -1 entry leaves that page as it is in "
                + "--old. Anything else that is not a valid file is an error (exit 2) naming the page."})
final class DecodeCommand implements Callable<Integer> {
    private final Context context;

    @Option(names = "--old", required = true, paramLabel = "FILE", description = "The memory image the deltas apply to")
    Path old;

    @Option(names = "--delta", required = true, paramLabel = "FILE", description = "The page-delta file")
    Path delta;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The memory image to write")
    Path out;

    @Mixin
    CodecOptions codecOptions = new CodecOptions();

    @Mixin
    CommonOptions common = new CommonOptions();

    DecodeCommand(Context context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() throws IOException {
        PageCodec codec = codecOptions.codec(context, common);
        int size = codec.pageSize();
        InputStream deltas;
        try {
            deltas = new BufferedInputStream(Files.newInputStream(delta), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new UserException("--delta " + delta + ": no such file");
        } catch (IOException e) {
            throw new UserException("--delta " + delta + ": cannot be read: " + e.getMessage(), e);
        }
        try (deltas;
             PageInput olds = PageInput.open(old, size, "--old");
             AtomicOutput output = new AtomicOutput(out, "--out")) {
            DeltaReader reader = new DeltaReader(deltas, size);
            byte[] entry = new byte[size];
            long page = 0;
            int n;
            while ((n = olds.next()) > 0) {
                byte[] pages = olds.buffer();
                for (int p = 0; p < n; p++, page++) {
                    long at = reader.offset();
                    int len = reader.next(entry, page, olds.pages());
                    if (len > 0) {
                        try {
                            codec.decode(entry, 0, len, pages, p * size);
                        } catch (CorruptDeltaException e) {
                            throw new UserException(where(page, at) + ": corrupt delta: " + e.getMessage());
                        }
                    }
                }
                output.stream().write(pages, 0, n * size);
            }
            if (reader.hasMore()) {
                throw new UserException("--delta " + delta + ": more entries than the " + olds.pages()
                        + " pages of --old " + old + " (extra data at offset " + reader.offset() + ")");
            }
            output.commit();
        }
        return ExitCodes.OK;
    }

    private String where(long page, long offset) {
        return "--delta " + delta + ": page " + page + " (entry at file offset " + offset + ")";
    }

    /** Reads entries, checking each length before reading its bytes. */
    private final class DeltaReader {
        private final InputStream in;
        private final int pageSize;
        private long offset;

        DeltaReader(InputStream in, int pageSize) {
            this.in = in;
            this.pageSize = pageSize;
        }

        long offset() {
            return offset;
        }

        /** Reads page {@code page}'s entry into {@code into}; returns its length (0 or -1: no bytes). */
        int next(byte[] into, long page, long pages) throws IOException {
            long at = offset;
            int got = readFully(into, 0, 4);
            if (got == 0) {
                throw new UserException("--delta " + delta + ": ends after " + page + " entries, but --old "
                        + old + " has " + pages + " pages");
            }
            if (got < 4) {
                throw new UserException(where(page, at) + ": truncated entry header");
            }
            int len = (into[0] & 0xff) | (into[1] & 0xff) << 8 | (into[2] & 0xff) << 16 | (into[3] & 0xff) << 24;
            if (len < -1 || len > pageSize) {
                throw new UserException(where(page, at) + ": invalid delta length " + len
                        + " (must be -1, 0 or up to the page size " + pageSize + ")");
            }
            if (len > 0 && readFully(into, 0, len) < len) {
                throw new UserException(where(page, at) + ": truncated: the entry says " + len
                        + " bytes, the file ends first");
            }
            return len;
        }

        boolean hasMore() throws IOException {
            return in.read() >= 0;
        }

        private int readFully(byte[] b, int off, int len) throws IOException {
            int n = in.readNBytes(b, off, len);
            offset += n;
            return n;
        }
    }
}
