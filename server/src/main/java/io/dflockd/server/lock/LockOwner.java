package io.dflockd.server.lock;

import io.dflockd.server.data.BlockedCall;
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
    /** The blocking data call (blpop, brpop, bwait) in progress, if any; see {@link #blockedCall()}. */
    private volatile BlockedCall blockedCall;
    volatile boolean closed;

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

    /** True while a blocking call of this connection waits: in a lock queue, or in the data store. */
    public boolean isBlocked() {
        Waiter w = blocking;
        BlockedCall call = blockedCall;
        return w != null && w.state == Waiter.State.QUEUED || call != null && call.isWaiting();
    }

    /**
     * The last blocking data call of this connection (it may have ended), or {@code null}; set by the
     * data store when a call starts waiting, cleared by {@link LockManager#waitFinished}.
     */
    public BlockedCall blockedCall() {
        return blockedCall;
    }

    /** Called by the data store when a blocking call of this connection starts waiting. */
    public void blockedCall(BlockedCall call) {
        blockedCall = call;
    }

    @Override
    public String toString() {
        return "conn#" + id;
    }
}
