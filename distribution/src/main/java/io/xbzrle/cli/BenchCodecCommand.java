package io.xbzrle.cli;

import static java.util.Objects.requireNonNull;

import io.xbzrle.api.codec.CorruptDeltaException;
import io.xbzrle.api.codec.PageCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code xbzrle bench codec}: encode and decode MB/s per workload. */
@Command(name = "codec", mixinStandardHelpOptions = true,
        description = {
            "Encode and decode speed of the codec per workload, beside System.arraycopy of the same pages.",
            "One thread, after a warm-up, timed by the thread's CPU time; MB/s = 10^6 bytes of new pages per "
                + "second (decode: over the pages whose encoding is positive, counted as whole pages).",
            "Workloads: each NAME.old/NAME.new pair in --corpus, or --old/--new, or (with neither) workloads "
                + "it generates itself."})
final class BenchCodecCommand implements Callable<Integer> {
    private final Context context;

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true)
    Source source;

    static final class Source {
        @Option(names = "--corpus", paramLabel = "DIR", required = true,
                description = "A folder of NAME.old / NAME.new page-file pairs")
        Path corpus;

        @ArgGroup(exclusive = false)
        Pair pair;
    }

    static final class Pair {
        @Option(names = "--old", required = true, paramLabel = "FILE", description = "Old pages")
        Path old;

        @Option(names = "--new", required = true, paramLabel = "FILE", description = "New pages")
        Path current;
    }

    @Option(names = "--round-time", paramLabel = "MS", defaultValue = "100",
            description = "CPU milliseconds per timed round (7 rounds per figure; default ${DEFAULT-VALUE})")
    int roundMillis;

    @Option(names = "--json", description = "Print one JSON object on stdout and nothing else there")
    boolean json;

    @Mixin
    CodecOptions codecOptions = new CodecOptions();

    @Mixin
    CommonOptions common = new CommonOptions();

    BenchCodecCommand(Context context) {
        this.context = requireNonNull(context, "context is null");
    }

    @Override
    public Integer call() throws IOException, CorruptDeltaException {
        if (roundMillis < 1 || roundMillis > 60_000) {
            throw new UserException("--round-time: must be from 1 to 60000 ms, not " + roundMillis);
        }
        PageCodec codec = codecOptions.codec(context, common);
        List<Workload> workloads = workloads(codec.pageSize());
        if (workloads.isEmpty()) {
            throw new UserException("--corpus " + source.corpus + ": no NAME.old / NAME.new pairs in it");
        }
        List<CodecBench.Result> results = new CodecBench(codec, roundMillis * 1_000_000L).run(workloads);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Object> list = new ArrayList<>();
            for (CodecBench.Result r : results) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", r.name());
                m.put("pages", r.pages());
                m.put("encode-mb-s", r.encodeMbs());
                m.put("decode-mb-s", Double.isNaN(r.decodeMbs()) ? null : r.decodeMbs());
                m.put("copy-mb-s", r.copyMbs());
                list.add(m);
            }
            out.println(Json.write(Map.of("workloads", list)));
        } else {
            out.printf(Locale.ROOT, "%-18s %6s %12s %12s %12s%n", "workload", "pages", "encode MB/s", "decode MB/s",
                    "copy MB/s");
            for (CodecBench.Result r : results) {
                out.printf(Locale.ROOT, "%-18s %6d %12.0f %12s %12.0f%n", r.name(), r.pages(), r.encodeMbs(),
                        Double.isNaN(r.decodeMbs()) ? "-" : String.format(Locale.ROOT, "%.0f", r.decodeMbs()),
                        r.copyMbs());
            }
            out.printf("page size %d; one thread; CPU time; Java %s%n", codec.pageSize(), Runtime.version());
        }
        return ExitCodes.OK;
    }

    private List<Workload> workloads(int pageSize) throws IOException {
        if (source == null) {
            return GeneratedWorkloads.all(pageSize);
        }
        if (source.pair != null) {
            String name = source.pair.current.getFileName().toString().replaceFirst("\\.new$", "");
            return List.of(load(name, source.pair.old, source.pair.current, pageSize, "--old", "--new"));
        }
        Path dir = source.corpus;
        if (!Files.isDirectory(dir)) {
            throw new UserException("--corpus " + dir + ": " + (Files.exists(dir) ? "not a folder" : "no such folder"));
        }
        List<Workload> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path n : files.filter(f -> f.getFileName().toString().endsWith(".new")).sorted().toList()) {
                String name = n.getFileName().toString().replaceFirst("\\.new$", "");
                Path o = dir.resolve(name + ".old");
                if (Files.exists(o)) {
                    out.add(load(name, o, n, pageSize, "--corpus", "--corpus"));
                }
            }
        }
        return out;
    }

    private static Workload load(String name, Path old, Path cur, int pageSize, String oldOpt, String curOpt) {
        byte[] o = read(old, oldOpt);
        byte[] c = read(cur, curOpt);
        if (o.length != c.length) {
            throw new UserException(curOpt + " " + cur + ": " + c.length + " bytes, but " + old + " has " + o.length);
        }
        if (o.length == 0 || o.length % pageSize != 0) {
            throw new UserException(oldOpt + " " + old + ": " + o.length + " bytes is not a whole number of "
                    + pageSize + "-byte pages");
        }
        return new Workload(name, pageSize, o, c);
    }

    private static byte[] read(Path p, String opt) {
        try {
            if (Files.size(p) > Integer.MAX_VALUE - 8) {
                throw new UserException(opt + " " + p + ": larger than 2 GiB; benchmark a smaller sample");
            }
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new UserException(opt + " " + p + ": no such file");
        } catch (IOException e) {
            throw new UserException(opt + " " + p + ": cannot be read: " + e.getMessage(), e);
        }
    }
}
