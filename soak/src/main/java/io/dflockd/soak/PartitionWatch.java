package io.dflockd.soak;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What a partition of one cluster node must and must not allow. Must not: a node cut off from its
 * peers cannot commit, so it must not answer a grant to a request sent after the cut (single-phase
 * {@code l}/{@code sl} and fast-path {@code e}/{@code se}: each needs a new entry committed; a
 * {@code w} may answer a grant committed before the cut). Must: the majority side elects a leader and
 * grants ({@link #grantsAvoiding}).
 */
final class PartitionWatch {
    private final AtomicLongArray grantsVia;
    private final Verdict verdict;
    /** When the node in {@link #isolated} was cut off; written before it. */
    private volatile long since;
    private volatile int isolated = -1;

    PartitionWatch(int endpoints, Verdict verdict) {
        this.grantsVia = new AtomicLongArray(endpoints);
        this.verdict = verdict;
    }

    /** Node {@code endpoint} has just been cut off from its peers (call after the cut is complete). */
    void isolated(int endpoint) {
        since = System.nanoTime();
        isolated = endpoint;
    }

    /** The partition is about to heal (call before the links forward again). */
    void healing() {
        isolated = -1;
    }

    /** Grants answered so far through every endpoint but {@code endpoint}. */
    long grantsAvoiding(int endpoint) {
        long sum = 0;
        for (int i = 0; i < grantsVia.length(); i++) {
            sum += i == endpoint ? 0 : grantsVia.get(i);
        }
        return sum;
    }

    /**
     * A grant was answered through {@code endpoint} to a request sent at {@code sentAt};
     * {@code needsCommit} when the grant can only come from an entry appended after the request arrived.
     */
    void granted(int endpoint, long sentAt, boolean needsCommit, String what) {
        grantsVia.incrementAndGet(endpoint);
        if (needsCommit && isolated == endpoint && sentAt - since > 0) {
            verdict.violation("grant from a cut-off node", what + " was granted through node n" + (endpoint + 1)
                    + ", which had been cut off from its peers before the request was sent");
        }
    }
}
