package io.dflockd.server.lock;

import io.dflockd.protocol.LeaderFrame;
import io.dflockd.protocol.WatchFrame;

/**
 * What the lock manager tells an observer (the metrics, when the HTTP port is on; the leader
 * observers of PROTOCOL.md §9.13). Called on the lock hot path, some calls under a resource monitor:
 * an implementation must be cheap, must not block, allocate or call back into the manager.
 * {@code limit} is the resource's limit (1 = a lock). The two leader methods are the exception to
 * "must not allocate": they are called only for keys someone observes.
 */
public interface LockEvents {
    /** Observes nothing: the default, so that a server without metrics pays nothing. */
    LockEvents NONE = new LockEvents() {
    };

    /** A slot was granted, {@code waitedNanos} after the request (0 for an immediate grant). */
    default void granted(int limit, long waitedNanos) {
    }

    /** A holder released its slot: {@code r}/{@code sr}, or the auto-release of a closed connection. */
    default void released(int limit) {
    }

    /** A lease ran out and its slot was taken back. */
    default void expired(int limit) {
    }

    /** An acquire or wait was answered {@code timeout} (try-locks included). */
    default void timedOut(int limit) {
    }

    /**
     * Whether the leadership changes of {@code key} are wanted, i.e. some connection observes it.
     * Asked under the key's resource monitor on every grant and removal of a slot of a lock (limit 1),
     * so it must be cheap and allocation-free; {@link #leaderChanged} is called only when it says yes.
     */
    default boolean watchesLeader(String key) {
        return false;
    }

    /**
     * The leadership of {@code key} (a lock, limit 1) changed (PROTOCOL.md §9.13). Called under the
     * key's resource monitor, so calls for one key come in the order of the changes, on every replica
     * in cluster mode. Must not block or call back into the manager.
     *
     * @return work to run once the monitor is released (e.g. evicting a slow consumer), or {@code null}
     */
    default Runnable leaderChanged(String key, LeaderFrame.Event event) {
        return null;
    }

    /**
     * Whether the changes of {@code key} are wanted, i.e. some connection watches a pattern that
     * matches it (PROTOCOL.md §6.19). Asked on every change of a lock, semaphore, read-write lock,
     * counter, entry or list, under the key's monitor, so it must be cheap and allocation-free;
     * {@link #keyChanged} is called only when it says yes.
     */
    default boolean watchesKey(String key) {
        return false;
    }

    /**
     * {@code key} changed by {@code event} (§9.14). Called under the key's monitor, so calls for one
     * key come in the order of its changes, on every replica in cluster mode. Must not block or call
     * back into the manager.
     *
     * @return work to run once the monitor is released (e.g. evicting a slow consumer), or {@code null}
     */
    default Runnable keyChanged(String key, WatchFrame.Event event) {
        return null;
    }
}
