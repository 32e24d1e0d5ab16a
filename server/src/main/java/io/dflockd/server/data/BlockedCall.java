package io.dflockd.server.data;

import io.dflockd.server.lock.LockOwner;

/**
 * A blocking data call in progress ({@code blpop}, {@code brpop}; {@code bwait}), held by its
 * connection's {@link LockOwner#blockedCall()} so that {@link LockOwner#isBlocked()} sees it and a
 * disconnect or a graceful shutdown can withdraw it. Ends exactly once: served, timed out or withdrawn,
 * each decided under its namespace's monitor.
 */
public abstract class BlockedCall {
    private volatile boolean waiting = true;

    /** True until the call is served, times out or is withdrawn. */
    public final boolean isWaiting() {
        return waiting;
    }

    /** Marks the call ended; call under the namespace's monitor. */
    final void end() {
        waiting = false;
    }

    /**
     * Withdraws the call if it still waits (its connection closed, or the server drains): it leaves its
     * namespace and its listener is not called.
     *
     * @return whether it was still waiting
     */
    abstract boolean withdraw();
}
