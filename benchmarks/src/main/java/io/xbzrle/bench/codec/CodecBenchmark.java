package io.xbzrle.bench.codec;

import com.typesafe.config.ConfigFactory;
import io.xbzrle.api.codec.CodecProvider;
import io.xbzrle.api.codec.CorruptDeltaException;
import io.xbzrle.api.codec.PageCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The codec on the shared corpus, one 4 KiB page per operation: divide 4096 by the ns/op (or by
 * {@code cpu.ns/op} with {@code -prof io.xbzrle.bench.CpuTimeProfiler}) and multiply by 1000 for
 * MB/s, the unit of QEMU's figures in DESIGN §8. The corpus folder is {@code -Dxbzrle.corpus=DIR}
 * (default {@code ../shared/corpus}).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar CodecBenchmark -prof io.xbzrle.bench.CpuTimeProfiler}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    private static final int PAGE = 4096;

    @Param({"mixed", "seed-example", "unchanged", "counter-seed", "sparse-runs", "words-10pct", "text-edit",
        "dense-alternate", "full-random", "zero-to-data", "data-to-zero", "boundary", "near-overflow"})
    public String workload;

    private PageCodec codec;
    private byte[] old;
    private byte[] cur;
    private byte[] out;
    private int pages;
    private byte[] deltas;
    private int[] deltaOffset;
    private int[] deltaLength;
    private int[] deltaPage;
    private int decodable;
    private byte[] target;
    private int next;
    private int nextDecode;

    @Setup(Level.Trial)
    public void load() throws IOException {
        Path dir = Path.of(System.getProperty("xbzrle.corpus", "../shared/corpus"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no corpus at " + dir.toAbsolutePath()
                    + ": pass -Dxbzrle.corpus=DIR, or use 'xbzrle bench codec', which generates its own workloads");
        }
        CodecProvider provider = ServiceLoader.load(CodecProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("xbzrle")).findFirst().orElseThrow();
        codec = provider.create(PAGE, ConfigFactory.empty());
        old = Files.readAllBytes(dir.resolve(workload + ".old"));
        cur = Files.readAllBytes(dir.resolve(workload + ".new"));
        pages = old.length / PAGE;
        out = new byte[PAGE];
        deltas = new byte[old.length];
        deltaOffset = new int[pages];
        deltaLength = new int[pages];
        deltaPage = new int[pages];
        int at = 0;
        for (int p = 0; p < pages; p++) {
            int n = codec.encode(old, p * PAGE, cur, p * PAGE, deltas, at, PAGE);
            if (n > 0) {
                deltaOffset[decodable] = at;
                deltaLength[decodable] = n;
                deltaPage[decodable] = p;
                decodable++;
                at += n;
            }
        }
        target = old.clone();
    }

    /** Encodes the next page of the workload (cycling). */
    @Benchmark
    public int encode() {
        int p = next;
        next = p + 1 == pages ? 0 : p + 1;
        return codec.encode(old, p * PAGE, cur, p * PAGE, out, 0, PAGE);
    }

    /** Decodes the next page whose encoding is positive onto its copy of the old page (cycling). */
    @Benchmark
    public void decode(Blackhole bh) throws CorruptDeltaException {
        if (decodable == 0) {
            return;
        }
        int k = nextDecode;
        nextDecode = k + 1 == decodable ? 0 : k + 1;
        bh.consume(codec.decode(deltas, deltaOffset[k], deltaLength[k], target, deltaPage[k] * PAGE));
    }

    /** {@code System.arraycopy} of the next new page, for scale. */
    @Benchmark
    public void copy(Blackhole bh) {
        int p = next;
        next = p + 1 == pages ? 0 : p + 1;
        System.arraycopy(cur, p * PAGE, out, 0, PAGE);
        bh.consume(out);
    }
}
