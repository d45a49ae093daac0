package io.xbzrle.migration.memory;

/**
 * The source side of a migration: one region of guest memory that keeps changing while it is
 * migrated, and the log of which pages changed.
 *
 * <p>Threading: {@link #readPage}, {@link #syncDirtyLog}, {@link #pause}, {@link #resume},
 * {@link #throttle} and {@link #close} are called from one thread at a time (the migration thread).
 * The guest writes on its own thread(s) meanwhile, so {@link #readPage} copies the page as it is at
 * that moment, possibly torn by a concurrent write: the pipeline copies a page before encoding it
 * and never encodes from live memory, and a page written during the copy is dirty at the next sync.
 *
 * <p>Once closed, the memory's methods throw {@link IllegalStateException}.
 */
public interface GuestMemory extends PageSource, AutoCloseable {

    /** The region's name, as the migration stream's header lists it (for example {@code ram}). */
    String name();

    /**
     * Swaps the dirty log out and clears it: {@code into} is overwritten with exactly the pages
     * written since the previous sync (every page on the first sync). Called before any page of a
     * round is read, so a write that lands after the sync is seen by the next one.
     *
     * @throws IllegalArgumentException when {@code into} does not cover {@link #pageCount()} pages
     */
    void syncDirtyLog(DirtyBitmap into);

    /**
     * Stops the guest for the final round: when this returns no write is in flight and none starts
     * until {@link #resume()}. Does nothing when already paused, or where the writer cannot be
     * stopped (as documented by the implementation).
     */
    void pause();

    /** Lets a paused guest run again (after a failed or cancelled migration). Idempotent. */
    void resume();

    /** Whether {@link #pause()} was called without a later {@link #resume()}. */
    boolean paused();

    /**
     * Auto-converge: the guest is stopped this fraction of the time from now on, so it dirties memory
     * {@code 1 - fraction} as fast. 0 lifts the throttle. A no-op where it cannot apply.
     *
     * @throws IllegalArgumentException unless {@code 0 <= fraction < 1}
     */
    void throttle(double fraction);

    /** Stops the guest's writers and releases the memory. Idempotent. */
    @Override
    void close();
}
