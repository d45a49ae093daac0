package io.xbzrle.migration.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A built-in guest: off-heap memory changed by a {@link Workload} on its own daemon thread, with an
 * exact dirty log.
 *
 * <p>Memory: direct {@link ByteBuffer}s of up to 1 GiB each, so any size up to the machine's memory
 * works, within the JVM's direct-memory limit ({@code -XX:MaxDirectMemorySize}, by default the
 * maximum heap size): a guest beyond it fails to start with an {@link IllegalStateException} saying
 * so. The JDK zero-fills direct memory when it allocates it, so a guest's whole size is resident
 * from the start. {@link #close()} drops the buffers; the JVM frees them at a later garbage
 * collection. At start the memory holds a pattern made from the seed: mostly "heap-like" pages
 * (zero words, small integers, pointer-like words, some random words, each page stamped with its
 * index), one page in eight zero, except in {@link Workload#SEED_COUNTER}'s 16 MiB buffer.
 *
 * <p>Dirty log: an atomic bitmap. The writer writes a page's bytes and then sets its bit with
 * release semantics; {@link #syncDirtyLog} swaps every word with 0. A write is therefore either
 * seen by this sync, with its bytes visible to the reads that follow, or left for the next one:
 * nothing is lost. Every page is dirty at the first sync.
 *
 * <p>Rate: {@link Spec#pagesPerSecond()} page writes per second (0: unthrottled), in batches of
 * about a millisecond's worth; {@link #throttle(double)} stretches the writer's time so that it is
 * stopped that fraction of the time. {@link #pause()} waits for the batch in flight (at most a
 * millisecond or so of work) and blocks the writer until {@link #resume()}.
 *
 * <p>Threading as {@link GuestMemory}: one migration thread calls the methods; the writer is this
 * object's own thread. If the writer fails, {@link #syncDirtyLog} throws an
 * {@link IllegalStateException} carrying the cause.
 */
public final class SyntheticGuest implements GuestMemory {

    /**
     * What to build.
     *
     * @param name the region's name, e.g. {@code ram}
     * @param bytes the size: a positive whole number of pages
     * @param pageSize a power of two from 64 bytes to 1 GiB
     * @param workload what the writer does
     * @param pagesPerSecond page writes per second, 0 for unthrottled (see {@link Workload})
     * @param seed the seed of the initial content and of the writer's choices
     */
    public record Spec(String name, long bytes, int pageSize, Workload workload, long pagesPerSecond,
            long seed) {

        /** @throws IllegalArgumentException naming what is wrong */
        public Spec {
            Objects.requireNonNull(name, "name is null");
            Objects.requireNonNull(workload, "workload is null");
            if (name.isBlank()) {
                throw new IllegalArgumentException("region name is blank");
            }
            Pages.checkPageSize(pageSize);
            if (bytes <= 0 || bytes % pageSize != 0) {
                throw new IllegalArgumentException("guest size " + bytes + " bytes is not a positive whole number of "
                        + pageSize + "-byte pages");
            }
            if (bytes / pageSize > 1L << 37) {
                throw new IllegalArgumentException("guest size " + bytes + " bytes is more than 2^37 pages");
            }
            if (pagesPerSecond < 0) {
                throw new IllegalArgumentException("rate must be >= 0 page writes per second, not " + pagesPerSecond);
            }
        }

        /** A region {@code ram} of 4 KiB pages at the workload's default rate, seed 1. */
        public static Spec of(long bytes, Workload workload) {
            Objects.requireNonNull(workload, "workload is null");
            return new Spec("ram", bytes, 4096, workload, workload.defaultPagesPerSecond(bytes, 4096), 1);
        }

        /** This spec at another rate (page writes per second, 0 for unthrottled). */
        public Spec withPagesPerSecond(long rate) {
            return new Spec(name, bytes, pageSize, workload, rate, seed);
        }

        /** This spec with another seed. */
        public Spec withSeed(long newSeed) {
            return new Spec(name, bytes, pageSize, workload, pagesPerSecond, newSeed);
        }
    }

    private static final VarHandle LOG = MethodHandles.arrayElementVarHandle(long[].class);
    /** When the writer is behind its schedule by more than this, it forgets the debt (no burst). */
    private static final long MAX_LAG_NANOS = 100_000_000L;
    private static final int TEMPLATES = 64;
    private static final int MAX_TEMPLATE = 64 << 10;

    private final Spec spec;
    private final int pageSize;
    private final int pageShift;
    private final long pageCount;
    private final ByteBuffer[] chunks;
    /** The live dirty log: the writer ORs bits in, a sync swaps words with 0. */
    private final long[] log;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition resumed = lock.newCondition();
    private final Thread writer;
    private volatile boolean paused;
    private volatile boolean closed;
    private volatile double throttle;
    private volatile Throwable failure;

    private SyntheticGuest(Spec spec) {
        this.spec = spec;
        this.pageSize = spec.pageSize();
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.pageCount = spec.bytes() / pageSize;
        this.chunks = Pages.allocateDirect(spec.bytes(), "a synthetic guest");
        this.log = new DirtyBitmap(pageCount).words;
        fill();
        Arrays.fill(log, -1L);
        this.writer = spec.workload() == Workload.IDLE ? null : new Thread(new Writer(), "xbzrle-guest-" + spec.name());
    }

    /**
     * Builds the guest, fills its memory and starts its writer: the guest is running when this
     * returns.
     *
     * @throws IllegalStateException when the memory cannot be allocated (message says how much, and
     *     the JVM's limit)
     */
    public static SyntheticGuest start(Spec spec) {
        SyntheticGuest guest = new SyntheticGuest(Objects.requireNonNull(spec, "spec is null"));
        if (guest.writer != null) {
            guest.writer.setDaemon(true);
            guest.writer.start();
        }
        return guest;
    }

    /** What this guest was built from. */
    public Spec spec() {
        return spec;
    }

    /** The workload its writer runs. */
    public Workload workload() {
        return spec.workload();
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public int pageSize() {
        return pageSize;
    }

    @Override
    public long pageCount() {
        return pageCount;
    }

    @Override
    public void readPage(long index, byte[] dst, int off) {
        checkOpen();
        Pages.checkPage(index, pageCount, dst, off, pageSize);
        long pos = index << pageShift;
        Pages.get(chunks, pos, dst, off, pageSize);
    }

    @Override
    public void syncDirtyLog(DirtyBitmap into) {
        checkOpen();
        Objects.requireNonNull(into, "bitmap is null");
        if (into.pages() != pageCount) {
            throw new IllegalArgumentException("bitmap covers " + into.pages() + " pages, guest '" + name() + "' has "
                    + pageCount);
        }
        Throwable failed = failure;
        if (failed != null) {
            throw new IllegalStateException("guest '" + name() + "': its writer failed: " + failed, failed);
        }
        long[] words = into.words;
        for (int i = 0; i < words.length; i++) {
            // A plain volatile read first: clean words (most, in a converging migration) cost no atomic.
            words[i] = (long) LOG.getVolatile(log, i) == 0 ? 0 : (long) LOG.getAndSet(log, i, 0L);
        }
    }

    @Override
    public void pause() {
        checkOpen();
        lock.lock(); // fair: waits for the batch in flight, and the writer cannot barge in again
        try {
            paused = true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void resume() {
        checkOpen();
        lock.lock();
        try {
            paused = false;
            resumed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean paused() {
        return paused;
    }

    @Override
    public void throttle(double fraction) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("throttle must be >= 0 and < 1, not " + fraction);
        }
        checkOpen();
        throttle = fraction;
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            resumed.signalAll();
        } finally {
            lock.unlock();
        }
        if (writer != null) {
            LockSupport.unpark(writer);
            boolean interrupted = false;
            while (writer.isAlive()) {
                try {
                    writer.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        Arrays.fill(chunks, null);
    }

    @Override
    public String toString() {
        return "SyntheticGuest[" + name() + ", " + spec.bytes() + " bytes, " + spec.workload() + "]";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("guest '" + name() + "' is closed");
        }
    }


    /** The initial content (memory is zero when allocated): see the class comment. */
    private void fill() {
        int unit = Math.min(pageSize, MAX_TEMPLATE);
        byte[] templates = new byte[TEMPLATES * unit];
        SplittableRandom random = new SplittableRandom(spec.seed());
        ByteBuffer t = ByteBuffer.wrap(templates).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < templates.length; i += Long.BYTES) {
            t.putLong(i, heapWord(random));
        }
        // seed-counter's buffer holds data, none of it a zero page: were it zero as the original
        // program's calloc, each page would be all zero whenever its counters wrap to 0, and a round
        // that met them there would send nothing but zero pages (the corpus' counter-seed pages are
        // random data with the counters in them, as here).
        long counterPages = spec.workload() == Workload.SEED_COUNTER
                ? (Math.min(Workload.SEED_COUNTER_BUFFER, spec.bytes()) + pageSize - 1) >>> pageShift
                : 0;
        for (long page = 0; page < pageCount; page++) {
            long h = mix(spec.seed() + page * 0x9E3779B97F4A7C15L);
            if ((h & 7) == 0 && page >= counterPages) {
                continue; // a zero page
            }
            long pos = page << pageShift;
            ByteBuffer chunk = Pages.chunk(chunks, pos);
            int base = Pages.offset(pos);
            for (int at = 0; at < pageSize; at += unit) {
                int template = (int) ((h >>> 3) + at) & (TEMPLATES - 1);
                chunk.put(base + at, templates, template * unit, unit);
            }
            chunk.putLong(base + (int) ((h >>> 9) % (pageSize / Long.BYTES)) * Long.BYTES, page);
        }
    }

    private static long heapWord(SplittableRandom random) {
        switch (random.nextInt(8)) {
            case 0:
            case 1:
            case 2:
                return 0;
            case 3:
            case 4:
                return random.nextInt(1 << 16);
            case 5:
            case 6:
                return 0x0000_7f00_0000_0000L | (random.nextLong() & 0xff_ffff_fff8L);
            default:
                return random.nextLong();
        }
    }

    /** SplitMix64's finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Marks a page dirty after its bytes were written (release: the bytes are visible first). */
    private void markDirty(long page) {
        LOG.getAndBitwiseOrRelease(log, (int) (page >>> 6), 1L << page);
    }

    /** The writer thread: batches of page writes under the lock, paced outside it. */
    private final class Writer implements Runnable {

        private final SplittableRandom random = new SplittableRandom(mix(spec.seed() ^ 0x5DEECE66DL));
        private final long rate = spec.pagesPerSecond();
        private final int batch = rate == 0 ? 256 : (int) Math.max(1, Math.min(1024, rate / 1000));
        private final long periodNanos = rate == 0 ? 0 : (long) (batch * 1e9 / rate);
        private final long counterPages = (Math.min(Workload.SEED_COUNTER_BUFFER, spec.bytes()) + pageSize - 1)
                >>> pageShift;
        private final long hotPages = Math.max(1, pageCount / 10);
        private long cursor;

        @Override
        public void run() {
            try {
                long next = System.nanoTime();
                while (true) {
                    long work;
                    lock.lock();
                    try {
                        if (paused && !closed) {
                            while (paused && !closed) {
                                resumed.await();
                            }
                            next = System.nanoTime();
                        }
                        if (closed) {
                            return;
                        }
                        long start = System.nanoTime();
                        for (int i = 0; i < batch; i++) {
                            writeOnePage();
                        }
                        work = System.nanoTime() - start;
                    } finally {
                        lock.unlock();
                    }
                    long slot = Math.max(periodNanos, work);
                    double f = throttle;
                    if (f > 0) {
                        slot = (long) (slot / (1 - f));
                    }
                    next += slot;
                    long now = System.nanoTime();
                    while (next - now > 0 && !closed) {
                        LockSupport.parkNanos(this, next - now);
                        now = System.nanoTime();
                    }
                    if (now - next > MAX_LAG_NANOS) {
                        next = now;
                    }
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        private void writeOnePage() {
            switch (spec.workload()) {
                case SEED_COUNTER:
                    seedCounter();
                    break;
                case SPARSE_RANDOM:
                    fewBytes(random.nextLong(pageCount));
                    break;
                case HOT_COLD:
                    boolean hot = random.nextInt(10) < 9 || hotPages == pageCount;
                    fewBytes(hot ? random.nextLong(hotPages) : hotPages + random.nextLong(pageCount - hotPages));
                    break;
                case FULL_PAGE:
                    fullPage(random.nextLong(pageCount));
                    break;
                case IDLE:
                default:
                    break;
            }
        }

        /** Increments the bytes at multiples of 1024 of the next page of the 16 MiB buffer. */
        private void seedCounter() {
            long page = cursor;
            cursor = cursor + 1 == counterPages ? 0 : cursor + 1;
            long pos = page << pageShift;
            long end = Math.min(pos + pageSize, Math.min(Workload.SEED_COUNTER_BUFFER, spec.bytes()));
            ByteBuffer chunk = Pages.chunk(chunks, pos);
            long first = (pos + Workload.SEED_COUNTER_STRIDE - 1) & -Workload.SEED_COUNTER_STRIDE;
            if (first >= end) {
                return; // a page smaller than the stride, between two counters
            }
            for (long at = first; at < end; at += Workload.SEED_COUNTER_STRIDE) {
                int i = Pages.offset(at);
                chunk.put(i, (byte) (chunk.get(i) + 1));
            }
            markDirty(page);
        }

        /** Changes 1 to 8 random bytes of a page (each XORed with a non-zero byte). */
        private void fewBytes(long page) {
            long pos = page << pageShift;
            ByteBuffer chunk = Pages.chunk(chunks, pos);
            int base = Pages.offset(pos);
            for (int n = 1 + random.nextInt(8); n > 0; n--) {
                int i = base + random.nextInt(pageSize);
                chunk.put(i, (byte) (chunk.get(i) ^ (1 + random.nextInt(255))));
            }
            markDirty(page);
        }

        /** Rewrites a whole page with random data. */
        private void fullPage(long page) {
            long pos = page << pageShift;
            ByteBuffer chunk = Pages.chunk(chunks, pos);
            int base = Pages.offset(pos);
            for (int i = 0; i < pageSize; i += Long.BYTES) {
                chunk.putLong(base + i, random.nextLong());
            }
            markDirty(page);
        }
    }
}
