package io.dflockd.server.lock;

import io.dflockd.protocol.LockKind;
import io.dflockd.protocol.Request;
import java.util.TreeSet;

/**
 * Re-attaching a client to what an earlier connection of it left in the lock state (cluster mode,
 * stable references, CLUSTER-DESIGN.md §3.5): the queue places, two-phase records and held slots of
 * a {@link LockOwner} that a new session took over. Kept out of {@link LockManager}, whose standalone
 * paths never need it; the manager only lends its lease and queue primitives ({@link Slots}).
 *
 * <p>Called on the cluster's apply thread, like every other mutation of a replicated manager.
 */
public final class SlotAdoption {
    private SlotAdoption() {
    }

    /** The keys where {@code owner} waits, has a two-phase record or holds a slot, in key order. */
    public static TreeSet<String> keys(LockOwner owner) {
        TreeSet<String> keys = new TreeSet<>(owner.records.keySet());
        owner.held.forEach(h -> keys.add(h.resource.key));
        Waiter w = owner.blocking;
        if (w != null && w.state == Waiter.State.QUEUED) {
            keys.add(w.resource.key);
        }
        return keys;
    }

    /** Whether {@code owner} has nothing in the lock state: no slot, no record, no queued call. */
    public static boolean isEmpty(LockOwner owner) {
        return owner.heldCount() == 0 && owner.recordCount() == 0 && !owner.isBlocked();
    }

    /** The outcome of {@code owner}'s queued blocking call goes to {@code listener} from now on. */
    public static void redirectBlockingCall(LockOwner owner, WaitListener listener) {
        Waiter w = owner.blocking;
        if (w != null && w.state == Waiter.State.QUEUED) {
            w.listener = listener;
        }
    }

    /**
     * A re-sent {@code l}/{@code sl}/{@code e}/{@code se}/{@code elect} of an adopting client, on a key
     * where {@code owner} already has a place: the place answers it instead of a new one. A queued
     * blocking call takes {@code listener} and the new request's timeout and keeps its queue position
     * (an {@code elect} only an election's wait, whose grant watchers are told as {@code elect}); a held
     * slot (a live, uncollected grant) is answered with its own token and its lease renewed (for an
     * {@code elect}, a lock's: the term goes on, nothing is told to observers); a queued two-phase
     * record is answered {@code queued}, a granted one {@code acquired} with its token.
     *
     * @return the outcome, or {@code null} when {@code owner} has no place on that key for this kind
     *         of request (the request then runs as usual)
     */
    public static Outcome resume(LockManager locks, LockOwner owner, Request request, WaitListener listener) {
        if (request instanceof Request.Acquire a) {
            return resumeBlocking(locks, owner, a.key(), a.kind(), false, a.timeoutSeconds(), a.leaseSeconds(),
                    listener);
        }
        if (request instanceof Request.Elect el) {
            return resumeBlocking(locks, owner, el.key(), LockKind.LOCK, true, el.timeoutSeconds(), el.leaseSeconds(),
                    listener);
        }
        if (request instanceof Request.Enqueue e) {
            Waiter record = owner.records.get(e.key());
            if (record == null || !sameSide(record.resource, record.writer, e.kind())) {
                return null;
            }
            if (record.state == Waiter.State.QUEUED) {
                return Outcome.QUEUED;
            }
            return record.holder == null ? null : renewed(locks, record.holder, e.leaseSeconds(), true);
        }
        return null;
    }

    /** {@link #resume} of a single-phase acquire ({@code elect}: an election's). */
    private static Outcome resumeBlocking(LockManager locks, LockOwner owner, String key, LockKind kind, boolean elect,
            long timeoutSeconds, long leaseSeconds, WaitListener listener) {
        Waiter w = owner.blocking;
        if (timeoutSeconds > 0 && w != null && !w.twoPhase && w.state == Waiter.State.QUEUED
                && w.resource.key.equals(key) && sameSide(w.resource, w.writer, kind) && (w.elect || !elect)) {
            synchronized (w.resource) {
                long now = locks.context().now();
                w.listener = listener;
                w.timeout.cancel();
                locks.slots().armWaitTimeout(w, LockManager.toNanos(timeoutSeconds), now);
            }
            return Outcome.PENDING;
        }
        Holder held = heldOn(owner, key, kind);
        if (held == null || elect && held.resource.limit != 1) {
            return null;
        }
        return renewed(locks, held, leaseSeconds, false);
    }

    /**
     * A client blocked on {@code from} by a request it re-sent before its earlier connection's
     * {@code to} was known to be gone: its call moves onto {@code to}'s place on the same key — the
     * queue position of {@code to}'s queued call, which takes over the listener and deadline, or
     * {@code to}'s held slot, which answers at once. {@code from}'s own queue entry (behind) goes.
     *
     * @return whether the call moved ({@code from} had a queued single-phase call and {@code to} a place)
     */
    public static boolean moveBlockingCall(LockManager locks, LockOwner from, LockOwner to) {
        Waiter moving = from.blocking;
        if (moving == null || moving.twoPhase || moving.state != Waiter.State.QUEUED) {
            return false;
        }
        String key = moving.resource.key;
        Waiter target = to.blocking;
        boolean queued = target != null && !target.twoPhase && target.state == Waiter.State.QUEUED
                && target.resource.key.equals(key) && target.writer == moving.writer;
        Holder held = queued ? null : heldOn(to, key, moving.writer);
        if (!queued && (held == null || held.deadline - locks.context().now() <= 0)) {
            return false;
        }
        Grants grants = new Grants();
        WaitListener listener = moving.listener;
        synchronized (moving.resource) {
            long now = locks.context().now();
            locks.slots().cancelQueued(moving, now, grants);
            from.blocking = null;
            if (queued) {
                target.listener = listener;
                target.timeout.cancel();
                locks.slots().armWaitTimeout(target, Math.max(0, moving.timeoutAt - now), now);
            }
        }
        grants.deliver();
        if (!queued) {
            listener.onOutcome(renewed(locks, held, moving.leaseSeconds, false)); // live: checked above
        }
        return true;
    }

    /**
     * Whether a place (a waiter or holder of {@code writer} on {@code r}) answers a request of {@code kind}:
     * the key's type and, on a read-write lock, the side must be the request's.
     */
    private static boolean sameSide(Resource r, boolean writer, LockKind kind) {
        return r.readWrite == kind.readWrite() && writer == (kind == LockKind.WRITE);
    }

    private static Holder heldOn(LockOwner owner, String key, LockKind kind) {
        Holder h = heldOn(owner, key, kind == LockKind.WRITE);
        return h == null || h.resource.readWrite != kind.readWrite() ? null : h;
    }

    /**
     * The live slot {@code owner} holds on {@code key} on the side {@code writer} (false but for a
     * read-write lock's writer) with the lowest fence, not awaiting a {@code w}.
     */
    private static Holder heldOn(LockOwner owner, String key, boolean writer) {
        Holder best = null;
        for (Holder h : owner.held) {
            if (h.isLive() && h.record == null && h.resource.key.equals(key) && h.writer == writer
                    && (best == null || h.fence < best.fence)) {
                best = h;
            }
        }
        return best;
    }

    /** {@code h}'s lease renewed to {@code leaseSeconds} as a grant; {@code null} once it ran out. */
    private static Outcome renewed(LockManager locks, Holder h, long leaseSeconds, boolean acquired) {
        synchronized (h.resource) {
            long now = locks.context().now();
            if (!h.isLive() || h.deadline - now <= 0) {
                return null;
            }
            locks.slots().resetLease(h, locks.context().effectiveLease(leaseSeconds), now);
            h.resource.lastActivity = now;
            return acquired ? Outcome.acquired(h) : Outcome.granted(h);
        }
    }
}
