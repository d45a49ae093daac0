package io.xbzrle.migration.pipeline;

import io.xbzrle.api.cache.CacheStats;
import io.xbzrle.api.cache.PageCache;
import java.util.ArrayList;
import java.util.List;

/** A cache that records every lookup and put (with the generation) before passing it on. */
final class RecordingCache implements PageCache {

    /** One call: {@code put} or {@code lookup}, with its page, generation and (put) whether all zero. */
    record Call(String op, long index, long generation, boolean zero, boolean result) {
    }

    private final PageCache delegate;
    final List<Call> calls = new ArrayList<>();

    RecordingCache(PageCache delegate) {
        this.delegate = delegate;
    }

    PageCache delegate() {
        return delegate;
    }

    List<Call> calls(String op, long generation) {
        return calls.stream().filter(c -> c.op().equals(op) && c.generation() == generation).toList();
    }

    @Override
    public int pageSize() {
        return delegate.pageSize();
    }

    @Override
    public long capacityBytes() {
        return delegate.capacityBytes();
    }

    @Override
    public long lookup(long pageIndex, long generation) {
        long h = delegate.lookup(pageIndex, generation);
        calls.add(new Call("lookup", pageIndex, generation, false, h != MISS));
        return h;
    }

    @Override
    public byte[] array(long handle) {
        return delegate.array(handle);
    }

    @Override
    public int offset(long handle) {
        return delegate.offset(handle);
    }

    @Override
    public boolean put(long pageIndex, byte[] src, int offset, long generation) {
        boolean zero = true;
        for (int i = 0; i < pageSize(); i++) {
            zero &= src[offset + i] == 0;
        }
        boolean stored = delegate.put(pageIndex, src, offset, generation);
        calls.add(new Call("put", pageIndex, generation, zero, stored));
        return stored;
    }

    @Override
    public boolean remove(long pageIndex) {
        calls.add(new Call("remove", pageIndex, -1, false, false));
        return delegate.remove(pageIndex);
    }

    @Override
    public void resize(long capacityBytes) {
        delegate.resize(capacityBytes);
    }

    @Override
    public void clear() {
        delegate.clear();
    }

    @Override
    public CacheStats stats() {
        return delegate.stats();
    }
}
