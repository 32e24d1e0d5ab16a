package io.dflockd.server.cluster;

import io.dflockd.protocol.Request;
import io.dflockd.server.lock.LockBackend;
import io.dflockd.server.lock.LockSession;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.ResourceSnapshot;
import io.dflockd.server.lock.WaitListener;
import java.util.List;

/**
 * Connections of a cluster node: every lock-family request is proposed to the cluster and answered
 * {@link Outcome.Kind#PENDING}; its outcome reaches the connection's {@link WaitListener} when this
 * node applies the entry (a grant is thus answered only after commit, and a waiter blocked here is
 * granted here in the queue's order).
 *
 * <p>Not yet: a blocked call is not withdrawn by a graceful shutdown ({@link LockSession#cancelWait}
 * answers false; the shutdown timeout ends it), and a request that no leader ever commits waits for
 * its connection to close.
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
        private volatile boolean pending;

        Session(ClusterNode node, long id, WaitListener waits) {
            this.node = node;
            this.id = id;
            this.cluster = node.open(id, new ClusterNode.SessionSink() {
                @Override
                public void outcome(long seq, Outcome outcome) {
                    pending = false;
                    waits.onOutcome(outcome);
                }

                @Override
                public void lost() {
                    if (pending) {
                        pending = false;
                        waits.onOutcome(Outcome.error());
                    }
                }
            });
        }

        @Override
        public long id() {
            return id;
        }

        @Override
        public Outcome execute(Request request) {
            pending = true;
            cluster.submit(request);
            return Outcome.pending();
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
            return pending;
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
