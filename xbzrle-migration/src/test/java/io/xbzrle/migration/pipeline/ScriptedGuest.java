package io.xbzrle.migration.pipeline;

import io.xbzrle.migration.memory.DirtyBitmap;
import io.xbzrle.migration.memory.GuestMemory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A guest without a thread, for deterministic tests: its memory is a byte array, and the writes
 * "since the last sync" are a script step applied when the pipeline syncs (sync 1 reports every
 * page; step k runs at sync k + 1). Each page read advances a fake clock by one millisecond, so a
 * round takes exactly one ms per page and the pipeline's expected downtime is the dirty pages in ms.
 */
final class ScriptedGuest implements GuestMemory {
    static final int PAGE = 4096;
    static final long NANOS_PER_READ = 1_000_000;

    /** Writes to the guest between two syncs. */
    interface Step {
        void write(ScriptedGuest guest);
    }

    final AtomicLong clock = new AtomicLong();
    private final byte[] memory;
    private final long pages;
    private final List<Step> steps;
    private final List<Boolean> pausedAtSync = new ArrayList<>();
    private boolean dirtyAll = true;
    private DirtyBitmap pending;
    private int syncs;
    private boolean paused;
    private boolean closed;

    ScriptedGuest(long pages, Consumer<byte[]> initial, List<Step> steps) {
        this.pages = pages;
        this.memory = new byte[Math.toIntExact(pages * PAGE)];
        this.steps = List.copyOf(steps);
        this.pending = new DirtyBitmap(pages);
        initial.accept(memory);
    }

    /** The memory (the test's own writes through here are not logged: use {@link #write}). */
    byte[] memory() {
        return memory;
    }

    /** Overwrites page {@code index} with {@code content} and logs it dirty. */
    void write(long index, byte[] content) {
        System.arraycopy(content, 0, memory, (int) (index * PAGE), PAGE);
        pending.set(index);
    }

    /** A copy of page {@code index}. */
    byte[] page(long index) {
        byte[] p = new byte[PAGE];
        System.arraycopy(memory, (int) (index * PAGE), p, 0, PAGE);
        return p;
    }

    int syncs() {
        return syncs;
    }

    /** Whether the guest was paused at each sync, in order. */
    List<Boolean> pausedAtSync() {
        return pausedAtSync;
    }

    @Override
    public String name() {
        return "ram";
    }

    @Override
    public int pageSize() {
        return PAGE;
    }

    @Override
    public long pageCount() {
        return pages;
    }

    @Override
    public void readPage(long index, byte[] dst, int off) {
        check();
        clock.addAndGet(NANOS_PER_READ);
        System.arraycopy(memory, Math.toIntExact(index * PAGE), dst, off, PAGE);
    }

    @Override
    public void syncDirtyLog(DirtyBitmap into) {
        check();
        pausedAtSync.add(paused);
        if (syncs > 0 && syncs - 1 < steps.size() && !paused) {
            steps.get(syncs - 1).write(this);
        }
        syncs++;
        into.clear();
        if (dirtyAll) {
            into.setAll();
            dirtyAll = false;
        } else {
            for (long i = pending.nextSetBit(0); i >= 0; i = pending.nextSetBit(i + 1)) {
                into.set(i);
            }
        }
        pending.clear();
    }

    @Override
    public void pause() {
        paused = true;
    }

    @Override
    public void resume() {
        paused = false;
    }

    @Override
    public boolean paused() {
        return paused;
    }

    @Override
    public void throttle(double fraction) {
    }

    @Override
    public void close() {
        closed = true;
    }

    private void check() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
    }
}
