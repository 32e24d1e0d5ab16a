package io.dflockd.server.lock;

import io.dflockd.protocol.Request;

/**
 * The lock side of one client connection. Requests come one at a time: a request answered
 * {@link Outcome.Kind#PENDING} gets its final outcome through the session's {@link WaitListener},
 * and the connection sends nothing else until then. Called on the connection's thread.
 */
public interface LockSession {
    /** The connection id ({@code owner_conn_id} in stats). */
    long id();

    /** Runs a lock-family request ({@link LockRequests#handles}). */
    Outcome execute(Request request);

    /**
     * {@code stable-ref}: this connection acts for the client named {@code ref}. Only a cluster keeps
     * what a client leaves behind for it (CLUSTER-DESIGN.md §3.5); a standalone server accepts and
     * ignores it, so that one client code path works everywhere.
     *
     * @return false when the connection already named a reference (answered {@code error})
     */
    default boolean bindStableRef(String ref) {
        return true;
    }

    /** The connection has taken the final outcome of its pending request. */
    void waitFinished();

    /** Withdraws a queued blocking call (graceful shutdown); true when one was withdrawn. */
    boolean cancelWait();

    /** Whether a blocking call of this connection waits in a queue. */
    boolean isBlocked();

    /** Slots this connection holds. */
    int heldCount();

    /** The connection ended: disconnect cleanup (PROTOCOL.md §7.8). */
    void disconnect();
}
