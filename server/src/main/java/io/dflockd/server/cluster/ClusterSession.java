package io.dflockd.server.cluster;

import io.dflockd.protocol.Request;
import io.dflockd.server.lock.LockRequests;
import java.util.concurrent.CompletableFuture;

/**
 * A client connection's handle on the cluster: its lock-family requests become log entries, and the
 * node's {@link ClusterNode.SessionSink} receives each one's outcome once applied here. One request
 * at a time, as on a standalone connection; {@link #close()} proposes the disconnect cleanup, which
 * Ratis orders after the session's last request.
 */
public final class ClusterSession implements AutoCloseable {
    private final ClusterNode node;
    private final SessionKey key;
    private long seq;
    private boolean closed;
    private boolean refBound;

    ClusterSession(ClusterNode node, SessionKey key) {
        this.node = node;
        this.key = key;
    }

    /**
     * Proposes {@code request}; its outcome arrives at the sink with the returned number.
     *
     * @throws IllegalArgumentException if it is not a lock-family request
     */
    public long submit(Request request) {
        long n = nextSeq();
        propose(n, request);
        return n;
    }

    /** The number the next request will carry (reserve it before proposing, to expect its outcome). */
    public synchronized long nextSeq() {
        return ++seq;
    }

    /**
     * Proposes {@code request} under a number from {@link #nextSeq()}.
     *
     * @return completes when the proposal is committed (its outcome still comes through the sink)
     * @throws IllegalArgumentException if it is not a lock-family request
     */
    public synchronized CompletableFuture<Void> propose(long number, Request request) {
        if (!LockRequests.handles(request)) {
            throw new IllegalArgumentException("not a replicated command: " + request.command());
        }
        if (closed) {
            throw new IllegalStateException("session closed");
        }
        return node.propose(new ClusterCommand.Op(key, number, request));
    }

    /**
     * {@code stable-ref}: proposes that this session acts for the client {@code ref}
     * (CLUSTER-DESIGN.md §3.5), ordered before the session's later requests.
     *
     * @return false if this session already named one (upstream refuses a second one)
     */
    public synchronized boolean bindRef(String ref) {
        if (refBound || closed) {
            return false;
        }
        refBound = true;
        node.propose(new ClusterCommand.BindRef(key, ref));
        return true;
    }

    SessionKey key() {
        return key;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            node.closed(key);
        }
    }
}
