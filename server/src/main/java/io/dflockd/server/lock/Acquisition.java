package io.dflockd.server.lock;

import io.dflockd.protocol.LeaderFrame;
import io.dflockd.protocol.WatchFrame;

/**
 * Asking for a slot: a single-phase acquire that is granted, queued with a timeout or refused; the
 * two-phase {@code e} that leaves a record and the {@code w} that collects it; and withdrawing a
 * queued wait. Each call locks only the resource it touches; grants for other connections that it
 * causes (an expired holder's slot handed on) are delivered after the monitor is released.
 */
final class Acquisition {
    private final LockContext ctx;
    private final Slots slots;

    Acquisition(LockContext ctx, Slots slots) {
        this.ctx = ctx;
        this.slots = slots;
    }

    /**
     * Two-phase step 1: never blocks. A record {@code owner} already has on {@code key} answers
     * {@code ALREADY_ENQUEUED}, unless it was granted and its lease has run out.
     */
    Outcome enqueue(LockOwner owner, String key, int limit, boolean writer, long leaseSeconds) {
        Waiter existing = owner.records.get(key);
        if (existing != null) {
            Grants grants = new Grants();
            synchronized (existing.resource) {
                Holder h = existing.holder;
                long now = ctx.now();
                if (h != null && h.isLive() && h.deadline - now <= 0) {
                    slots.removeHolder(h, Holder.State.EXPIRED, now, grants);
                }
            }
            grants.deliver();
            if (owner.records.get(key) != null) {
                return Outcome.ALREADY_ENQUEUED;
            }
        }
        return admit(owner, key, limit, writer, ctx.effectiveLease(leaseSeconds), true, false, 0, null);
    }

    /**
     * Grants a free slot at once, or queues the owner: a single-phase waiter blocks with a timer
     * ({@code timeoutSeconds} 0 is a try-lock), a two-phase one becomes a record that {@code w}
     * collects later.
     *
     * @param limit  the semaphore limit, or {@link Resource#READ_WRITE} for a read-write lock
     * @param writer a read-write lock's writer
     * @param elect  an {@code elect}: its grant is an {@code elect} event for watchers
     */
    Outcome admit(LockOwner owner, String key, int limit, boolean writer, long lease, boolean twoPhase,
            boolean elect, long timeoutSeconds, WaitListener listener) {
        while (true) {
            Resource r = ctx.table.getOrCreate(key, limit, limit == Resource.READ_WRITE);
            if (r == null) {
                return Outcome.MAX_LOCKS;
            }
            Grants grants = new Grants();
            Outcome out;
            synchronized (r) {
                if (r.removed) {
                    continue; // collected after the look-up: look again
                }
                if (r.readWrite != (limit == Resource.READ_WRITE)) {
                    return Outcome.TYPE_MISMATCH;
                }
                if (r.limit != limit) {
                    return Outcome.LIMIT_MISMATCH;
                }
                long now = ctx.now();
                r.lastActivity = now;
                slots.evictExpired(r, now, grants);
                if (r.queued == 0 && r.admits(writer)) {
                    out = grantNow(r, owner, writer, lease, now, twoPhase, elect, grants);
                } else if (!twoPhase && timeoutSeconds == 0) {
                    ctx.events.timedOut(limit);
                    out = Outcome.TIMEOUT;
                } else if (ctx.settings.maxWaiters() > 0 && r.queued >= ctx.settings.maxWaiters()) {
                    out = Outcome.MAX_WAITERS;
                } else {
                    Waiter w = new Waiter(r, owner, lease, twoPhase, writer, now);
                    w.elect = elect;
                    r.append(w);
                    if (twoPhase) {
                        owner.records.put(key, w);
                        out = Outcome.QUEUED;
                    } else {
                        out = block(owner, w, timeoutSeconds, listener, now);
                    }
                }
            }
            grants.deliver();
            return out;
        }
    }

    private Outcome grantNow(Resource r, LockOwner owner, boolean writer, long lease, long now, boolean twoPhase,
            boolean elect, Grants grants) {
        Holder h = slots.newHolder(r, owner, writer, lease, now);
        if (h == null) {
            return Outcome.ERROR;
        }
        ctx.events.granted(r.limit, 0);
        ctx.leaderChanged(r, LeaderFrame.Event.ELECTED, grants); // a free key, nobody queued
        ctx.keyChanged(r, elect ? WatchFrame.Event.ELECT : WatchFrame.Event.ACQUIRE, grants);
        if (twoPhase) {
            Waiter record = new Waiter(r, owner, lease, true, writer, now);
            record.state = Waiter.State.GRANTED;
            record.holder = h;
            h.record = record;
            owner.records.put(r.key, record);
            return Outcome.acquired(h);
        }
        return Outcome.granted(h);
    }

    /** Two-phase step 2 on the connection that enqueued. */
    Outcome await(LockOwner owner, String key, long timeoutSeconds, WaitListener listener) {
        Waiter w = owner.records.get(key);
        if (w == null) {
            return Outcome.NOT_ENQUEUED;
        }
        Resource r = w.resource;
        Grants grants = new Grants();
        Outcome out;
        synchronized (r) {
            long now = ctx.now();
            r.lastActivity = now;
            switch (w.state) {
                case GRANTED: {
                    Holder h = w.holder;
                    owner.records.remove(key, w);
                    h.record = null;
                    if (!h.isLive()) {
                        out = Outcome.NOT_ENQUEUED;
                    } else if (h.deadline - now <= 0) {
                        slots.removeHolder(h, Holder.State.EXPIRED, now, grants);
                        out = Outcome.LEASE_EXPIRED;
                    } else {
                        slots.resetLease(h, w.leaseSeconds, now);
                        out = Outcome.granted(h);
                    }
                    break;
                }
                case QUEUED:
                    if (timeoutSeconds == 0) {
                        slots.cancelQueued(w, now, grants);
                        ctx.events.timedOut(r.limit);
                        out = Outcome.TIMEOUT;
                    } else {
                        out = block(owner, w, timeoutSeconds, listener, now);
                    }
                    break;
                default:
                    owner.records.remove(key, w);
                    out = Outcome.NOT_ENQUEUED;
            }
        }
        grants.deliver();
        return out;
    }

    /** {@code owner}'s call now waits on the queued {@code w} until its grant or its timeout. */
    private Outcome block(LockOwner owner, Waiter w, long timeoutSeconds, WaitListener listener, long now) {
        w.listener = listener;
        slots.armWaitTimeout(w, LockManager.toNanos(timeoutSeconds), now);
        owner.blocking = w;
        return Outcome.PENDING;
    }

    /**
     * Cancels the owner's blocking wait, if one is still queued; the data store's blocking call when
     * it has no lock wait.
     *
     * @return true when a queued wait was cancelled
     */
    boolean cancelWait(LockOwner owner) {
        Waiter w = owner.blocking;
        if (w == null) {
            return ctx.data.withdrawBlockedCall(owner);
        }
        Grants grants = new Grants();
        boolean cancelled = false;
        synchronized (w.resource) {
            if (w.state == Waiter.State.QUEUED) {
                slots.cancelQueued(w, ctx.now(), grants);
                cancelled = true;
            }
        }
        grants.deliver();
        return cancelled;
    }
}
