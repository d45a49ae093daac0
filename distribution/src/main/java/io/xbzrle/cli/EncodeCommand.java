package io.xbzrle.cli;

import static java.util.Objects.requireNonNull;

import io.xbzrle.api.codec.PageCodec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code xbzrle encode}: a page-delta file (DESIGN §5) from two versions of a memory image. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {
            "Encodes how each page of --new differs from the same page of --old, as QEMU's XBZRLE encoder "
                + "does (output limit: one page).",
            "The page-delta file holds, for each page in order, a 4-byte little-endian signed int (the "
                + "encoded length; 0 = unchanged; -1 = overflow, the delta would not fit in a page) "
                + "followed by that many encoded bytes."})
final class EncodeCommand implements Callable<Integer> {
    private final Context context;

    @Option(names = "--old", required = true, paramLabel = "FILE", description = "The previous memory image")
    Path old;

    @Option(names = "--new", required = true, paramLabel = "FILE",
            description = "The new memory image, the same size as --old")
    Path current;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The page-delta file to write")
    Path out;

    @Mixin
    CodecOptions codecOptions = new CodecOptions();

    @Mixin
    CommonOptions common = new CommonOptions();

    EncodeCommand(Context context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() throws IOException {
        PageCodec codec = codecOptions.codec(context, common);
        int size = codec.pageSize();
        try (PageInput olds = PageInput.open(old, size, "--old");
             PageInput news = PageInput.open(current, size, "--new");
             AtomicOutput output = new AtomicOutput(out, "--out")) {
            if (olds.pages() != news.pages()) {
                throw new UserException("--new " + current + " has " + news.pages() + " pages of " + size
                        + " bytes, --old " + old + " has " + olds.pages() + ": they must be the same size");
            }
            byte[] delta = new byte[size];
            int n;
            while ((n = olds.next()) > 0) {
                news.next();
                byte[] a = olds.buffer();
                byte[] b = news.buffer();
                for (int p = 0; p < n; p++) {
                    int len = codec.encode(a, p * size, b, p * size, delta, 0, size);
                    output.writeIntLe(len);
                    if (len > 0) {
                        output.stream().write(delta, 0, len);
                    }
                }
            }
            output.commit();
        }
        return ExitCodes.OK;
    }
}
