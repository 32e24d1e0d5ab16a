package io.dflockd.server.cluster;

import io.dflockd.server.time.Clock;

/**
 * Replicated time (CLUSTER-DESIGN.md §2.3): the clock of the replicated lock manager. It moves only
 * when a log entry is applied, to a value derived from the leader's stamp on that entry, so every
 * replica reads the same time at the same point of the log. Nothing else may set it.
 *
 * <p>Written by the apply thread only; read by others (stats) through the volatile field.
 */
final class ApplyClock implements Clock {
    private volatile long now;

    @Override
    public long nanoTime() {
        return now;
    }

    /** Moves time forward to {@code t}; an earlier value is ignored (time never goes back). */
    void advanceTo(long t) {
        if (t - now > 0) {
            now = t;
        }
    }
}
