package io.dflockd.server.lock;

import java.util.List;

/**
 * Where a connection's lock commands go: this process's {@link LockManager} (standalone), or the
 * replicated state of a cluster, where a request is answered once its log entry is applied. The
 * connection layer sees one contract either way.
 */
public interface LockBackend {
    /**
     * Opens the lock session of a new connection.
     *
     * @param connectionId the server-assigned connection id
     * @param waits        receives the final outcome of every request answered {@link Outcome.Kind#PENDING}
     */
    LockSession open(long connectionId, WaitListener waits);

    /** A consistent-per-key snapshot for {@code stats}, metrics and the status page. */
    List<ResourceSnapshot> snapshot();

    /** The standalone backend: {@code locks} in this process. */
    static LockBackend local(LockManager locks) {
        return new LocalLockBackend(locks);
    }
}
