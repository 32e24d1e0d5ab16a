package io.dflockd.server.lock;

import io.dflockd.server.fence.FenceAllocator;

/** Fences 101, 102, …: a test's grants have known fences. */
public final class CountingFences implements FenceAllocator {
    private long last = 100;

    @Override
    public long next() {
        return ++last;
    }

    @Override
    public void close() {
    }
}
