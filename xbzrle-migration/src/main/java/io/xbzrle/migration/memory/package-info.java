/**
 * Memory on both sides of a migration: the source's {@link io.xbzrle.migration.memory.GuestMemory}
 * (a {@link io.xbzrle.migration.memory.SyntheticGuest} with an exact dirty log, or a
 * {@link io.xbzrle.migration.memory.RamFileMemory} scanned with page fingerprints), the
 * destination's {@link io.xbzrle.migration.memory.MemoryImage} (on the heap or in a file), the
 * {@link io.xbzrle.migration.memory.DirtyBitmap} a dirty-log sync fills, and the
 * {@link io.xbzrle.migration.memory.MemoryDigest} both sides compare after switchover.
 *
 * <p>Page sizes are powers of two from 64 bytes
 * to 1 GiB. Page indices out of range throw {@link java.lang.IndexOutOfBoundsException}.
 */
package io.xbzrle.migration.memory;
