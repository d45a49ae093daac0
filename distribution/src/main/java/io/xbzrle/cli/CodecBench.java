package io.xbzrle.cli;

import static java.util.Objects.requireNonNull;

import io.xbzrle.api.codec.CorruptDeltaException;
import io.xbzrle.api.codec.PageCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * Measures a codec on workloads, one thread, by the thread's CPU time (steady on a shared
 * machine): encode over every page, decode over the pages whose encoding is positive (applied onto
 * a copy of the old page; applying a delta twice gives the same page, so the copy is made once),
 * and {@code System.arraycopy} of the same new pages for scale. MB/s are 10^6 bytes of new pages
 * per CPU second; each figure is the median of several timed rounds after a warm-up over every
 * workload.
 */
final class CodecBench {
    /** One workload's figures. */
    record Result(String name, int pages, double encodeMbs, double decodeMbs, double copyMbs) {
    }

    private static final int ROUNDS = 7;
    /** Least CPU time between two readings of the clock. */
    private static final long BATCH_NANOS = 200_000;

    private final PageCodec codec;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final long roundNanos;
    private long sink;

    CodecBench(PageCodec codec, long roundNanos) {
        this.codec = requireNonNull(codec, "codec is null");
        this.roundNanos = roundNanos;
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            throw new UserException("this JVM cannot measure thread CPU time");
        }
        threads.setThreadCpuTimeEnabled(true);
    }

    List<Result> run(List<Workload> workloads) throws CorruptDeltaException {
        Prepared[] prepared = new Prepared[workloads.size()];
        for (int i = 0; i < prepared.length; i++) {
            prepared[i] = prepare(workloads.get(i));
        }
        // Warm-up over every workload, so the JIT compiles the codec for all shapes first.
        long until = threads.getCurrentThreadCpuTime() + 20 * roundNanos;
        while (threads.getCurrentThreadCpuTime() < until) {
            for (Prepared p : prepared) {
                encodeAll(p);
                decodeAll(p);
                copyAll(p);
            }
        }
        Result[] out = new Result[prepared.length];
        for (int i = 0; i < prepared.length; i++) {
            Prepared p = prepared[i];
            long bytes = (long) p.w.pages() * p.w.pageSize();
            double enc = median(p, bytes, 0);
            double dec = p.decodable == 0 ? Double.NaN : median(p, (long) p.decodable * p.w.pageSize(), 1);
            double copy = median(p, bytes, 2);
            out[i] = new Result(p.w.name(), p.w.pages(), enc, dec, copy);
        }
        if (sink == 42) {
            System.out.print(""); // keeps the results observable to the JIT
        }
        return List.of(out);
    }

    private double median(Prepared p, long bytesPerPass, int what) throws CorruptDeltaException {
        // Reading the thread's CPU time costs about 0.2 us here, as much as decoding a few pages:
        // read it once per batch of passes that takes at least BATCH_NANOS.
        int batch = 1;
        while (batch < 1 << 20) {
            long start = threads.getCurrentThreadCpuTime();
            pass(p, what, batch);
            if (threads.getCurrentThreadCpuTime() - start >= BATCH_NANOS) {
                break;
            }
            batch <<= 1;
        }
        double[] mbs = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long start = threads.getCurrentThreadCpuTime();
            long passes = 0;
            long now;
            do {
                pass(p, what, batch);
                passes += batch;
                now = threads.getCurrentThreadCpuTime();
            } while (now - start < roundNanos);
            mbs[r] = bytesPerPass * passes * 1e3 / (now - start);
        }
        Arrays.sort(mbs);
        return mbs[ROUNDS / 2];
    }

    private void pass(Prepared p, int what, int times) throws CorruptDeltaException {
        for (int t = 0; t < times; t++) {
            switch (what) {
                case 0 -> encodeAll(p);
                case 1 -> decodeAll(p);
                default -> copyAll(p);
            }
        }
    }

    private Prepared prepare(Workload w) throws CorruptDeltaException {
        int size = w.pageSize();
        int pages = w.pages();
        byte[] out = new byte[size];
        int[] lengths = new int[pages];
        int[] offsets = new int[pages];
        byte[] deltas = new byte[pages * size];
        int at = 0;
        int decodable = 0;
        for (int p = 0; p < pages; p++) {
            int n = codec.encode(w.old(), p * size, w.current(), p * size, out, 0, size);
            if (n > 0) {
                System.arraycopy(out, 0, deltas, at, n);
                offsets[decodable] = at;
                lengths[decodable] = n;
                at += n;
                decodable++;
            }
        }
        int[] pageOf = new int[decodable];
        for (int p = 0, k = 0; p < pages; p++) {
            int n = codec.encode(w.old(), p * size, w.current(), p * size, out, 0, size);
            if (n > 0) {
                pageOf[k++] = p;
            }
        }
        byte[] target = w.old().clone();
        Prepared prepared = new Prepared(w, out, deltas, offsets, lengths, pageOf, decodable, target,
                new byte[w.current().length]);
        decodeAll(prepared);
        for (int k = 0; k < decodable; k++) {
            int p = pageOf[k];
            if (!Arrays.equals(target, p * size, (p + 1) * size, w.current(), p * size, (p + 1) * size)) {
                throw new IllegalStateException(w.name() + ": page " + p + " does not decode to its new version");
            }
        }
        return prepared;
    }

    private void encodeAll(Prepared p) {
        int size = p.w.pageSize();
        byte[] old = p.w.old();
        byte[] cur = p.w.current();
        long s = 0;
        for (int i = 0, n = p.w.pages(); i < n; i++) {
            s += codec.encode(old, i * size, cur, i * size, p.out, 0, size);
        }
        sink += s;
    }

    private void decodeAll(Prepared p) throws CorruptDeltaException {
        int size = p.w.pageSize();
        long s = 0;
        for (int k = 0; k < p.decodable; k++) {
            s += codec.decode(p.deltas, p.offsets[k], p.lengths[k], p.target, p.pageOf[k] * size);
        }
        sink += s;
    }

    private void copyAll(Prepared p) {
        int size = p.w.pageSize();
        byte[] cur = p.w.current();
        for (int i = 0, n = p.w.pages(); i < n; i++) {
            System.arraycopy(cur, i * size, p.copy, i * size, size);
        }
        sink += p.copy[0];
    }

    private record Prepared(Workload w, byte[] out, byte[] deltas, int[] offsets, int[] lengths, int[] pageOf,
                            int decodable, byte[] target, byte[] copy) {
    }
}
