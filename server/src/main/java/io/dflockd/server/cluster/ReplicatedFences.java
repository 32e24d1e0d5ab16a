package io.dflockd.server.cluster;

import io.dflockd.server.fence.FenceAllocator;

/**
 * Fences as replicated state (CLUSTER-DESIGN.md §2.3): a counter that only grows, advanced by
 * applied entries, so fences are strictly increasing across failovers and restarts. The first entry
 * of a new cluster seeds it with the leader's wall clock in nanoseconds (PROTOCOL.md §8.4), so a
 * cluster that takes keys over from a standalone server issues larger fences than it did.
 *
 * <p>Confined to the apply thread.
 */
final class ReplicatedFences implements FenceAllocator {
    private long last;

    @Override
    public long next() {
        return ++last;
    }

    /** Raises the counter to {@code floor} if it is below (the seeding rule). */
    void seed(long floor) {
        if (floor > last) {
            last = floor;
        }
    }

    long last() {
        return last;
    }

    @Override
    public void close() {
        // nothing to release: the state lives in the log and snapshots
    }
}
