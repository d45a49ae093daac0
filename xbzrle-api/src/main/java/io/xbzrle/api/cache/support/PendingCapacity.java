package io.xbzrle.api.cache.support;

/**
 * A cache's capacity as the SPI's threading rule has it: {@code resize} may be called from any
 * thread, and the owner thread (the last one to use the cache; at first the one that created it)
 * applies it, at once when it asked itself, otherwise at the start of its next call.
 *
 * <p>{@link #post} and {@link #inForce()} are for any thread; the other methods are for the owner.
 * The owner check is a plain read: a thread that took ownership a moment ago may see its own post
 * applied at its next call rather than at once, never lost.
 */
public final class PendingCapacity {
    private Thread owner = Thread.currentThread();
    private volatile long requested;
    private volatile long inForce;
    private long applied;

    /** A capacity of {@code initialBytes}, in force, owned by the calling thread. */
    public PendingCapacity(long initialBytes) {
        this.requested = initialBytes;
        this.inForce = initialBytes;
        this.applied = initialBytes;
    }

    /**
     * Any thread: asks for {@code bytes} (already checked by the cache).
     *
     * @return whether the caller is the owner, which then applies it now
     */
    public boolean post(long bytes) {
        requested = bytes;
        return Thread.currentThread() == owner;
    }

    /**
     * The owner, at the start of each call: binds the calling thread as the owner.
     *
     * @return whether a capacity posted since the last one applied waits to be applied
     */
    public boolean enter() {
        Thread current = Thread.currentThread();
        if (owner != current) {
            owner = current;
        }
        return requested != applied;
    }

    /** The capacity last asked for: the one to apply (any thread may read it, for capacityBytes). */
    public long requested() {
        return requested;
    }

    /** The owner: the capacity the cache has now. */
    public long applied() {
        return applied;
    }

    /** The owner: the cache now has {@code bytes}. */
    public void applied(long bytes) {
        applied = bytes;
        inForce = bytes;
    }

    /** Any thread: the capacity the cache had at its last resize (what its stats report). */
    public long inForce() {
        return inForce;
    }
}
