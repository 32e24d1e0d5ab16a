package io.dflockd.client;

/**
 * Fencing tokens for a guarded resource (PROTOCOL.md §8). A lease alone cannot stop a holder that
 * paused (a GC pause, a stalled VM) past its lease from writing after the next holder: the resource
 * itself must refuse writes older than the newest it has seen. Every grant carries a fence that
 * grows with every grant of the server (an unsigned 64-bit number); stamp each write with it and let
 * the resource accept a write only if its fence is newer than the stored one, atomically, e.g.
 * {@code UPDATE t SET ..., fence = ? WHERE id = ? AND fence < ?} in SQL.
 */
public final class Fencing {
    private Fencing() {
    }

    /**
     * The fence of what {@code lock} holds now, to stamp a write with.
     *
     * @throws IllegalStateException if it holds nothing (or its server issues no fences, pre-v2.1)
     */
    public static long fenceOf(DistributedPrimitive lock) {
        return lock.fence().orElseThrow(() -> new IllegalStateException(lock + " holds nothing: no fence to write with"));
    }

    /** Whether a write stamped {@code candidate} may replace one stamped {@code current}: unsigned, strictly newer. */
    public static boolean supersedes(long candidate, long current) {
        return Long.compareUnsigned(candidate, current) > 0;
    }
}
