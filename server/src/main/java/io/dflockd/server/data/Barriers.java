package io.dflockd.server.data;

import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.WaitListener;
import io.dflockd.server.time.Clock;
import io.dflockd.server.time.Scheduler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The barriers of {@code bwait} (PROTOCOL.md §6.20): the connections that arrive at a key wait until
 * {@code count} of them are there, then all are answered {@code ok} at once and the barrier is gone, so
 * the key serves the next round. A party that leaves first (its timeout, a disconnect, a cancelled
 * wait) breaks the barrier: every other party is answered {@code timeout} at once. Netty-free; time
 * comes from the lock manager's clock and scheduler, so cluster replicas agree. Owned by the
 * {@link DataStore}; a new barrier takes a key of its {@code --max-keys} budget while it fills.
 *
 * <p>Concurrency: every method takes this object's monitor for the state change only; the waiting
 * parties' {@link WaitListener}s are called after it is released, each exactly once, and never for a
 * party that was withdrawn (a waiting party is its connection's {@link LockOwner#blockedCall()}, which
 * a disconnect or a graceful shutdown withdraws: its connection answers for itself, or is gone).
 */
public final class Barriers {
    private final Clock clock;
    private final Scheduler scheduler;
    private final KeyBudget budget;
    /** Guarded by {@code this}: the barriers still filling, by key. */
    private final Map<String, Barrier> byKey = new HashMap<>();

    /** @param budget the {@code --max-keys} budget a new barrier takes a key of while it fills */
    Barriers(Clock clock, Scheduler scheduler, KeyBudget budget) {
        this.clock = clock;
        this.scheduler = scheduler;
        this.budget = budget;
    }

    /**
     * {@code owner} arrives at barrier {@code key} of {@code count} parties. Answers at once
     * {@link Outcome.Kind#DONE} when it is the last party, {@code TIMEOUT} with {@code timeoutSeconds}
     * 0 (it leaves at once, breaking the barrier), {@code BARRIER_COUNT_MISMATCH} when the barrier
     * waits for another count, {@code MAX_KEYS} when a new barrier would exceed the key budget; else
     * {@code PENDING}, and {@code listener} later receives DONE or TIMEOUT.
     */
    public Outcome await(LockOwner owner, String key, int count, long timeoutSeconds, WaitListener listener) {
        Afterwards out = new Afterwards();
        Outcome now;
        synchronized (this) {
            Barrier b = byKey.get(key);
            if (b != null && b.count != count) {
                return Outcome.of(Outcome.Kind.BARRIER_COUNT_MISMATCH);
            }
            if (owner.blockedCall() instanceof Party p && p.isWaiting() && p.barrier == b) {
                // The connection already waits here: a client that re-attached with stable-ref (§6.13)
                // re-sent its bwait. It keeps its place, with the new call's listener and timeout.
                long at = clock.nanoTime();
                p.timer.cancel();
                p.listener = listener;
                arm(p, at + LockManager.toNanos(timeoutSeconds), at);
                return Outcome.pending();
            }
            if (b == null) {
                if (!budget.tryTake()) {
                    return Outcome.of(Outcome.Kind.MAX_KEYS);
                }
                b = new Barrier(key, count);
                byKey.put(key, b);
            }
            long at = clock.nanoTime();
            b.lastArrival = at;
            if (b.parties.size() + 1 == count) {
                end(b, Outcome.of(Outcome.Kind.DONE), out);
                now = Outcome.of(Outcome.Kind.DONE);
            } else if (timeoutSeconds == 0) {
                end(b, Outcome.of(Outcome.Kind.TIMEOUT), out);
                now = Outcome.of(Outcome.Kind.TIMEOUT);
            } else {
                join(b, owner, listener, at + LockManager.toNanos(timeoutSeconds), at);
                now = Outcome.pending();
            }
        }
        out.run();
        return now;
    }

    /** Takes a waiting party out of its barrier, which breaks the barrier for the others; its listener is not called. */
    private boolean withdraw(Party p) {
        Afterwards out = new Afterwards();
        synchronized (this) {
            if (!p.isWaiting()) {
                return false;
            }
            p.barrier.parties.remove(p);
            p.end();
            p.timer.cancel();
            end(p.barrier, Outcome.of(Outcome.Kind.TIMEOUT), out);
        }
        out.run();
        return true;
    }

    /** The barriers still filling, for {@code stats}, in key order. */
    public synchronized List<BarrierSnapshot> snapshot() {
        long now = clock.nanoTime();
        List<BarrierSnapshot> out = new ArrayList<>(byKey.size());
        for (Barrier b : byKey.values()) {
            out.add(new BarrierSnapshot(b.key, b.count, b.parties.size(), now - b.lastArrival));
        }
        out.sort((x, y) -> x.key().compareTo(y.key()));
        return out;
    }

    /** Adds a waiting party whose timeout falls due at {@code deadline} (also used to restore a snapshot). */
    synchronized void join(Barrier b, LockOwner owner, WaitListener listener, long deadline, long now) {
        Party p = new Party(this, b, owner, listener);
        b.parties.add(p);
        owner.blockedCall(p);
        arm(p, deadline, now);
    }

    void arm(Party p, long deadline, long now) {
        p.deadline = deadline;
        p.timer = scheduler.schedule(() -> onTimeout(p), Math.max(0, deadline - now), Scheduler.WAIT_TIMEOUT,
                p.owner.id());
    }

    private void onTimeout(Party p) {
        Afterwards out = new Afterwards();
        synchronized (this) {
            if (!p.isWaiting()) {
                return; // the barrier tripped or broke first
            }
            end(p.barrier, Outcome.of(Outcome.Kind.TIMEOUT), out);
        }
        out.run();
    }

    /** The barrier is gone: every party still waiting gets {@code outcome}, in arrival order. */
    private void end(Barrier b, Outcome outcome, Afterwards out) {
        byKey.remove(b.key);
        budget.release();
        for (Party p : b.parties) {
            p.end();
            p.timer.cancel();
            out.deliver(p.listener, outcome);
        }
        b.parties.clear();
    }

    /** The barriers in key order, for {@link BarrierCodec}. */
    synchronized List<Barrier> all() {
        List<Barrier> out = new ArrayList<>(byKey.values());
        out.sort((x, y) -> x.key.compareTo(y.key));
        return out;
    }

    /** Restores a barrier with no party yet (snapshot reading); it counts against the key budget. */
    synchronized Barrier restore(String key, int count, long lastArrival) {
        budget.restored();
        Barrier b = new Barrier(key, count);
        b.lastArrival = lastArrival;
        byKey.put(key, b);
        return b;
    }

    long now() {
        return clock.nanoTime();
    }


    /** One barrier still filling. Guarded by the {@link Barriers} monitor. */
    static final class Barrier {
        final String key;
        final int count;
        /** In arrival order. */
        final List<Party> parties = new ArrayList<>(2);
        long lastArrival;

        Barrier(String key, int count) {
            this.key = key;
            this.count = count;
        }
    }

    /** One connection waiting at a barrier: its blocking call. Guarded by the {@link Barriers} monitor. */
    static final class Party extends BlockedCall {
        final Barriers barriers;
        final Barrier barrier;
        /** The connection whose blocked call it is; another of the same client may take it ({@link PartyAdoption}). */
        LockOwner owner;
        WaitListener listener;
        /** When its timeout falls due (the store's clock); kept so a snapshot can re-arm it. */
        long deadline;
        Scheduler.Cancellable timer = Scheduler.Cancellable.NONE;

        Party(Barriers barriers, Barrier barrier, LockOwner owner, WaitListener listener) {
            this.barriers = barriers;
            this.barrier = barrier;
            this.owner = owner;
            this.listener = listener;
        }

        @Override
        boolean withdraw() {
            return barriers.withdraw(this);
        }
    }
}
