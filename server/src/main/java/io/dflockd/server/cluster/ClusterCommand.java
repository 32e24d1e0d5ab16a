package io.dflockd.server.cluster;

import io.dflockd.protocol.Request;

/**
 * One change of the replicated lock state (CLUSTER-DESIGN.md §2.2). A log entry carries a batch of
 * them (a {@link ClusterEntry}); every replica applies them in log order.
 */
sealed interface ClusterCommand {
    /** A lock-family request of a client session; {@code seq} numbers the session's requests. */
    record Op(SessionKey session, long seq, Request request) implements ClusterCommand {
    }

    /** The session's connection closed: disconnect cleanup (PROTOCOL.md §7.8). */
    record Disconnect(SessionKey session) implements ClusterCommand {
    }

    /**
     * The session's connection closed because its node is shutting down: its waiters leave the
     * queues, its held slots stay until their leases end (the client may renew them through another
     * node), as for the sessions of a node that died.
     */
    record Abandon(SessionKey session) implements ClusterCommand {
    }

    /**
     * A node process started: sessions of its earlier incarnations are gone with that process. Their
     * waiters leave the queues; their held slots stay until their leases end, since their clients may
     * renew them by token through another node.
     */
    record NodeUp(String node, long incarnation) implements ClusterCommand {
    }

    /**
     * {@code stable-ref} (CLUSTER-DESIGN.md §3.5): the session acts for the client {@code ref}; if an
     * earlier session of that client is demonstrably gone and its slots are kept as orphans, this
     * session takes them over.
     */
    record BindRef(SessionKey session, String ref) implements ClusterCommand {
    }

    /**
     * The leader has not heard from the node's process {@code incarnation} for
     * {@code --node-gone-timeout} (CLUSTER-DESIGN.md §2.6): its sessions end as a dead node's do
     * ({@link NodeUp}), and nothing more of that incarnation is applied.
     */
    record NodeGone(String node, long incarnation) implements ClusterCommand {
    }

    /**
     * Moves replicated time to the entry's stamp, which runs the timers that fall due (leases, waits),
     * and collects idle keys (PROTOCOL.md §7.9).
     */
    record Tick() implements ClusterCommand {
    }
}
