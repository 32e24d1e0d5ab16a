package io.dflockd.server.cluster;

import io.dflockd.protocol.Request;
import io.dflockd.server.lock.LockBackend;
import io.dflockd.server.lock.LockSession;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.ResourceSnapshot;
import io.dflockd.server.lock.WaitListener;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connections of a cluster node: every lock-family request is proposed to the cluster and answered
 * {@link Outcome.Kind#PENDING}; its outcome reaches the connection's {@link WaitListener} when this
 * node applies the entry (a grant is thus answered only after commit, and a waiter blocked here is
 * granted here in the queue's order).
 *
 * <p>Not yet: a blocked call is not withdrawn by a graceful shutdown ({@link LockSession#cancelWait}
 * answers false; the shutdown timeout ends it).
 */
final class ClusterLockBackend implements LockBackend {
    private final ClusterNode node;

    ClusterLockBackend(ClusterNode node) {
        this.node = node;
    }

    @Override
    public LockSession open(long connectionId, WaitListener waits) {
        return new Session(node, connectionId, waits);
    }

    @Override
    public List<ResourceSnapshot> snapshot() {
        return node.snapshot();
    }

    private static final class Session implements LockSession {
        private final long id;
        private final ClusterSession cluster;
        private final ClusterNode node;
        private final WaitListener waits;
        /** The number of the request awaiting its outcome, 0 when none; set by any thread that ends it. */
        private final AtomicLong pendingSeq = new AtomicLong();

        Session(ClusterNode node, long id, WaitListener waits) {
            this.node = node;
            this.id = id;
            this.waits = waits;
            this.cluster = node.open(id, new ClusterNode.SessionSink() {
                @Override
                public void outcome(long seq, Outcome outcome) {
                    // An outcome of a request already answered (it missed its commit deadline) is dropped.
                    if (pendingSeq.compareAndSet(seq, 0)) {
                        waits.onOutcome(outcome);
                    }
                }

                @Override
                public void lost() {
                    if (pendingSeq.getAndSet(0) != 0) {
                        waits.onOutcome(Outcome.error());
                    }
                }
            });
        }

        @Override
        public long id() {
            return id;
        }

        /**
         * Proposes the request; if the cluster has not committed it within the node's request timeout
         * (no leader, this node cut off from the majority) the connection is answered {@code error}
         * and closed ({@link Outcome#unavailable()}): the request may still commit later, and the
         * disconnect cleanup proposed behind it then undoes whatever it did.
         */
        @Override
        public Outcome execute(Request request) {
            long seq = cluster.nextSeq();
            pendingSeq.set(seq);
            cluster.propose(seq, request).orTimeout(node.requestTimeoutMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((committed, failure) -> {
                        if (failure != null && pendingSeq.compareAndSet(seq, 0)) {
                            waits.onOutcome(Outcome.unavailable());
                        }
                    });
            return Outcome.pending();
        }

        @Override
        public boolean bindStableRef(String ref) {
            return cluster.bindRef(ref);
        }

        @Override
        public void waitFinished() {
            // the replicated state did its part when the outcome was applied
        }

        @Override
        public boolean cancelWait() {
            return false;
        }

        @Override
        public boolean isBlocked() {
            return pendingSeq.get() != 0;
        }

        @Override
        public int heldCount() {
            return node.heldCount(cluster.key());
        }

        @Override
        public void disconnect() {
            cluster.close();
        }

        @Override
        public String toString() {
            return "conn#" + id;
        }
    }
}
