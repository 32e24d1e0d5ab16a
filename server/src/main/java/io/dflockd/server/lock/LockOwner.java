package io.dflockd.server.lock;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock-side state of one client connection: the session that owns waiters, two-phase records and
 * (for auto-release) held slots. Blocking calls are at most one at a time because the connection
 * processes requests sequentially.
 */
public final class LockOwner {
    private final long id;
    /** Slots granted to this connection and still held; written by any thread that grants or frees. */
    final Set<Holder> held = ConcurrentHashMap.newKeySet();
    /** Two-phase records by key; removed by whichever thread ends them (w, release, expiry). */
    final ConcurrentHashMap<String, Waiter> records = new ConcurrentHashMap<>();
    /** The blocking l/sl/w/sw waiter in progress, if any; touched only by the owner's thread. */
    Waiter blocking;
    volatile boolean closed;
    /** True while a {@code bwait} of this connection waits at a barrier. */
    volatile boolean atBarrier;

    public LockOwner(long id) {
        this.id = id;
    }

    /** Server-assigned connection id, shown in stats as {@code owner_conn_id}. */
    public long id() {
        return id;
    }

    /** Number of slots this connection currently holds. */
    public int heldCount() {
        return held.size();
    }

    /** Number of live two-phase records. */
    public int recordCount() {
        return records.size();
    }

    /** True while a blocking call of this connection waits in a queue or at a barrier. */
    public boolean isBlocked() {
        Waiter w = blocking;
        return w != null && w.state == Waiter.State.QUEUED || atBarrier;
    }

    @Override
    public String toString() {
        return "conn#" + id;
    }
}
