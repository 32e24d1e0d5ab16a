package io.dflockd.server.lock;

import io.dflockd.protocol.LeaderFrame;
import io.dflockd.protocol.WatchFrame;
import io.dflockd.server.fence.FenceException;
import io.dflockd.server.time.Scheduler;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Who holds a resource's slots and who gets them next: holders with their lease timers, queued
 * waiters with their wait timers, and the FIFO hand-off of freed slots to the queue (PROTOCOL.md
 * §7.3). These live in one class because freeing and granting feed each other: a removed holder or a
 * cancelled waiter grants the waiters behind it, each grant arms a lease timer, and that timer removes
 * the holder when its lease ends. Every lease and wait deadline has its own timer, which is what makes
 * expiry precise (and testable exactly with a manual clock).
 *
 * <p>Callers hold the resource monitor unless stated otherwise; the timer callbacks take it themselves.
 * Outcomes that belong to other connections are collected in the caller's {@link Grants}, which it
 * delivers after releasing the monitor.
 */
final class Slots {
    // Logged under the manager's name: the component operators know from the log line.
    private static final Logger LOG = System.getLogger(LockManager.class.getName());

    private final LockContext ctx;

    Slots(LockContext ctx) {
        this.ctx = ctx;
    }

    /** A new holder of a slot of {@code r}, its lease timer armed; {@code null} (logged) when no fence is left. */
    Holder newHolder(Resource r, LockOwner owner, boolean writer, long lease, long now) {
        long fence;
        try {
            fence = ctx.fences.next();
        } catch (FenceException e) {
            LOG.log(Level.ERROR, "cannot allocate a fence: " + e.getMessage());
            return null;
        }
        String token = TokenMinter.mint(fence, ctx.salts.getAsLong());
        Holder h = new Holder(r, owner, token, fence, writer, lease, now + LockManager.toNanos(lease));
        r.holders.put(h.token, h);
        owner.held.add(h);
        scheduleLeaseTimer(h, LockManager.toNanos(lease));
        return h;
    }

    /** The lease becomes {@code lease} seconds from {@code now} (renew, keep, w after an e grant). */
    void resetLease(Holder h, long lease, long now) {
        long previous = h.deadline;
        h.leaseSeconds = lease;
        h.deadline = now + LockManager.toNanos(lease);
        if (h.deadline - previous < 0) {
            // a shorter lease than before: the armed timer would fire too late, so re-arm it
            h.expiryTimer.cancel();
            scheduleLeaseTimer(h, LockManager.toNanos(lease));
        }
        // A longer one keeps the timer: when it fires early it re-arms for the new deadline.
    }

    /** Arms a holder's lease timer for its deadline, read at {@code now} (also used to restore a snapshot). */
    void armLeaseTimer(Holder h, long now) {
        scheduleLeaseTimer(h, Math.max(0, h.deadline - now));
    }

    private void scheduleLeaseTimer(Holder h, long delayNanos) {
        h.expiryTimer = ctx.scheduler.schedule(() -> onLeaseTimer(h), delayNanos, Scheduler.LEASE, h.fence);
    }

    /** A lease timer fired: takes its own monitor. */
    private void onLeaseTimer(Holder h) {
        Resource r = h.resource;
        Grants grants = new Grants();
        synchronized (r) {
            if (!h.isLive()) {
                return;
            }
            long now = ctx.now();
            long left = h.deadline - now;
            if (left > 0) {
                scheduleLeaseTimer(h, left);
                return;
            }
            r.lastActivity = now;
            removeHolder(h, Holder.State.EXPIRED, now, grants);
        }
        grants.deliver();
    }

    /** Removes the holders of {@code r} whose lease has run out by {@code now}. */
    void evictExpired(Resource r, long now, Grants grants) {
        if (r.holders.isEmpty()) {
            return;
        }
        List<Holder> expired = null;
        for (Holder h : r.holders.values()) {
            if (h.deadline - now <= 0) {
                if (expired == null) {
                    expired = new ArrayList<>(2);
                }
                expired.add(h);
            }
        }
        if (expired != null) {
            for (Holder h : expired) {
                removeHolder(h, Holder.State.EXPIRED, now, grants);
            }
        }
    }

    void removeHolder(Holder h, Holder.State why, long now, Grants grants) {
        removeHolder(h, why, false, false, now, grants);
    }

    /**
     * Takes a slot back and grants what it frees.
     *
     * @param byToken a release with the holder's token ({@code r}, {@code resign}): the leader resigned
     *                (PROTOCOL.md §9.13); otherwise a lease end or a disconnect, after which a lock
     *                with nobody queued has lost its leader
     * @param resign  the release was a {@code resign}: watchers hear {@code resign}, not {@code release}
     */
    void removeHolder(Holder h, Holder.State why, boolean byToken, boolean resign, long now, Grants grants) {
        Resource r = h.resource;
        r.holders.remove(h.token);
        h.state = why;
        h.owner.held.remove(h);
        if (why != Holder.State.EXPIRED) {
            h.expiryTimer.cancel();
            ctx.events.released(r.limit);
        } else {
            ctx.events.expired(r.limit);
        }
        if (h.record != null) {
            h.owner.records.remove(r.key, h.record);
            h.record = null;
        }
        ctx.keyChanged(r, resign ? WatchFrame.Event.RESIGN : WatchFrame.Event.RELEASE, grants);
        if (byToken) {
            ctx.leaderChanged(r, LeaderFrame.Event.RESIGNED, grants);
        }
        grantWaiters(r, now, grants); // a FAILOVER when it grants a lock
        if (!byToken && r.holders.isEmpty()) {
            ctx.leaderChanged(r, LeaderFrame.Event.LOST, grants);
        }
    }

    /**
     * Pops waiters in FIFO order while the head can be granted (PROTOCOL.md §7.3): while slots are
     * free; on a read-write lock, while the head is compatible with the holders, stopping at the first
     * head that is not (§7.11), so a queued writer holds back the readers behind it.
     */
    private void grantWaiters(Resource r, long now, Grants grants) {
        while (true) {
            Waiter w = r.head();
            if (w == null || !r.admits(w.writer)) {
                return;
            }
            r.unlink(w);
            w.timeout.cancel();
            if (w.owner.closed) {
                w.state = Waiter.State.CANCELLED;
                continue;
            }
            Holder h = newHolder(r, w.owner, w.writer, w.leaseSeconds, now);
            if (h == null) {
                w.state = Waiter.State.CANCELLED;
                w.owner.records.remove(r.key, w);
                grants.add(w, Outcome.ERROR);
                continue;
            }
            w.state = Waiter.State.GRANTED;
            w.holder = h;
            r.lastActivity = now;
            ctx.events.granted(r.limit, now - w.since);
            ctx.leaderChanged(r, LeaderFrame.Event.FAILOVER, grants);
            ctx.keyChanged(r, w.elect ? WatchFrame.Event.ELECT : WatchFrame.Event.ACQUIRE, grants);
            if (w.twoPhase) {
                h.record = w;
                if (w.listener != null) {
                    // A w is blocked on this record: it collects the grant now.
                    w.owner.records.remove(r.key, w);
                    h.record = null;
                }
            }
            grants.add(w, Outcome.granted(h));
        }
    }

    /** Takes a queued waiter out of its queue and grants what its leaving lets through. */
    void cancelQueued(Waiter w, long now, Grants grants) {
        Resource r = w.resource;
        r.unlink(w);
        w.state = Waiter.State.CANCELLED;
        w.timeout.cancel();
        if (w.twoPhase) {
            w.owner.records.remove(r.key, w);
        }
        grantWaiters(r, now, grants);
    }

    /** Arms a blocking call's timeout {@code delayNanos} after {@code now} (also used to restore a snapshot). */
    void armWaitTimeout(Waiter w, long delayNanos, long now) {
        w.timeoutAt = now + delayNanos;
        w.timeout = ctx.scheduler.schedule(() -> onWaitTimeout(w), delayNanos, Scheduler.WAIT_TIMEOUT,
                w.owner.id());
    }

    /** A wait timer fired: takes its own monitor. */
    private void onWaitTimeout(Waiter w) {
        Grants grants = new Grants();
        synchronized (w.resource) {
            if (w.state != Waiter.State.QUEUED) {
                return;
            }
            long now = ctx.now();
            w.resource.lastActivity = now;
            cancelQueued(w, now, grants);
            ctx.events.timedOut(w.resource.limit);
            grants.add(w, Outcome.TIMEOUT);
        }
        grants.deliver();
    }
}
