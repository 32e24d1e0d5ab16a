package io.dflockd.server.lock;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A connection leaving (PROTOCOL.md §7.8): its blocking call, queue places and two-phase records go,
 * and its held slots are freed or left to their leases. Each step locks the one resource it touches;
 * the grants the freed places cause are delivered once the whole cleanup is done.
 */
final class Departure {
    private final LockContext ctx;
    private final Slots slots;

    Departure(LockContext ctx, Slots slots) {
        this.ctx = ctx;
        this.slots = slots;
    }

    /** A disconnect: held slots are freed only with auto-release on. */
    void disconnect(LockOwner owner) {
        leave(owner, ctx.settings.autoReleaseOnDisconnect());
    }

    /** The owner's node died (cluster mode): its held slots stay until their leases end. */
    void abandon(LockOwner owner) {
        leave(owner, false);
        owner.held.clear(); // the slots now belong to their tokens alone, as after keep (k)
    }

    /** Drops the owner's waits and records; frees its held slots when {@code releaseHeld}. */
    private void leave(LockOwner owner, boolean releaseHeld) {
        owner.closed = true;
        ctx.data.withdrawBlockedCall(owner);
        Grants grants = new Grants();
        Waiter blocking = owner.blocking;
        if (blocking != null) {
            dropWaiter(blocking, grants);
            owner.blocking = null;
        }
        for (Waiter w : inKeyOrder(owner.records.values())) {
            dropWaiter(w, grants);
        }
        owner.records.clear();
        if (releaseHeld) {
            for (Holder h : inFenceOrder(owner.held)) {
                synchronized (h.resource) {
                    if (h.isLive()) {
                        long now = ctx.now();
                        h.resource.lastActivity = now;
                        slots.removeHolder(h, Holder.State.RELEASED, now, grants);
                    }
                }
            }
        }
        grants.deliver();
    }

    /*
     * Disconnect cleanup hands freed slots to waiters and so decides which waiter gets which fence:
     * it goes through the owner's records and holdings in an order that is a function of the lock
     * state (key, fence), not of hash-set history, so that replicas (cluster mode) agree.
     */
    private static Collection<Waiter> inKeyOrder(Collection<Waiter> records) {
        if (records.size() < 2) {
            return records;
        }
        List<Waiter> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparing(w -> w.resource.key));
        return sorted;
    }

    private static Collection<Holder> inFenceOrder(Collection<Holder> held) {
        if (held.size() < 2) {
            return held;
        }
        List<Holder> sorted = new ArrayList<>(held);
        sorted.sort(Comparator.comparingLong(h -> h.fence));
        return sorted;
    }

    private void dropWaiter(Waiter w, Grants grants) {
        synchronized (w.resource) {
            if (w.state == Waiter.State.QUEUED) {
                slots.cancelQueued(w, ctx.now(), grants);
            }
            if (w.holder != null) {
                w.holder.record = null;
            }
        }
    }
}
