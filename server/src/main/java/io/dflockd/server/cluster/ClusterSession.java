package io.dflockd.server.cluster;

import io.dflockd.protocol.Request;
import io.dflockd.server.lock.LockRequests;

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

    ClusterSession(ClusterNode node, SessionKey key) {
        this.node = node;
        this.key = key;
    }

    /**
     * Proposes {@code request}; its outcome arrives at the sink with the returned number.
     *
     * @throws IllegalArgumentException if it is not a lock-family request
     */
    public synchronized long submit(Request request) {
        if (!LockRequests.handles(request)) {
            throw new IllegalArgumentException("not a replicated command: " + request.command());
        }
        if (closed) {
            throw new IllegalStateException("session closed");
        }
        long n = ++seq;
        node.propose(new ClusterCommand.Op(key, n, request));
        return n;
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
