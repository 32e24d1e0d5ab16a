package io.dflockd.server.lock;

/**
 * What the lock manager tells an observer (the metrics, when the HTTP port is on). Called on the
 * lock hot path, some calls under a resource monitor: an implementation must be cheap, must not
 * block, allocate or call back into the manager. {@code limit} is the resource's limit (1 = a lock).
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
}
