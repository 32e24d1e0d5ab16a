package io.dflockd.server.data;

import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.WaitListener;
import io.dflockd.server.time.Clock;
import io.dflockd.server.time.Scheduler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The barriers of {@code bwait} (PROTOCOL.md §6.20): the connections that arrive at a key wait until
 * {@code count} of them are there, then all are answered {@code ok} at once and the barrier is gone, so
 * the key serves the next round. A party that leaves first (its timeout, a disconnect, a cancelled
 * wait) breaks the barrier: every other party is answered {@code timeout} at once. Netty-free; time
 * comes from the lock manager's clock and scheduler, so cluster replicas agree.
 *
 * <p>Concurrency: every method takes this object's monitor for the state change only; the waiting
 * parties' {@link WaitListener}s are called after it is released, each exactly once, and never for a
 * party that was withdrawn ({@link #withdraw}: its connection answers for itself, or is gone).
 */
public final class Barriers {
    private final Clock clock;
    private final Scheduler scheduler;
    private final KeyBudget budget;
    /** Guarded by {@code this}: the barriers still filling, by key. */
    private final Map<String, Barrier> byKey = new HashMap<>();
    /** Guarded by {@code this}: where each waiting connection waits. */
    private final Map<LockOwner, Party> byOwner = new IdentityHashMap<>();

    /** @param budget the {@code --max-keys} budget a new barrier takes a key of while it fills */
    public Barriers(Clock clock, Scheduler scheduler, KeyBudget budget) {
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
        Deliveries out = new Deliveries();
        Outcome now;
        synchronized (this) {
            Barrier b = byKey.get(key);
            if (b != null && b.count != count) {
                return Outcome.of(Outcome.Kind.BARRIER_COUNT_MISMATCH);
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
                join(b, owner, listener, at + seconds(timeoutSeconds), at);
                now = Outcome.pending();
            }
        }
        out.deliver();
        return now;
    }

    /**
     * Takes {@code owner}'s waiting party out of its barrier (disconnect, cancelled wait), which breaks
     * the barrier for the others; its own listener is not called.
     *
     * @return whether {@code owner} was waiting at a barrier
     */
    public boolean withdraw(LockOwner owner) {
        Deliveries out = new Deliveries();
        synchronized (this) {
            Party p = byOwner.get(owner);
            if (p == null) {
                return false;
            }
            p.barrier.parties.remove(p);
            forget(p);
            end(p.barrier, Outcome.of(Outcome.Kind.TIMEOUT), out);
        }
        out.deliver();
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

    /** How many barriers are filling (what they take of the key budget). */
    public synchronized int size() {
        return byKey.size();
    }

    /** Adds a waiting party whose timeout falls due at {@code deadline} (also used to restore a snapshot). */
    synchronized void join(Barrier b, LockOwner owner, WaitListener listener, long deadline, long now) {
        Party p = new Party(b, owner, listener, deadline);
        b.parties.add(p);
        byOwner.put(owner, p);
        p.timer = scheduler.schedule(() -> onTimeout(p), Math.max(0, deadline - now), Scheduler.WAIT_TIMEOUT,
                owner.id());
    }

    private void onTimeout(Party p) {
        Deliveries out = new Deliveries();
        synchronized (this) {
            if (byOwner.get(p.owner) != p) {
                return; // the barrier tripped or broke first
            }
            end(p.barrier, Outcome.of(Outcome.Kind.TIMEOUT), out);
        }
        out.deliver();
    }

    /** The barrier is gone: every party still waiting gets {@code outcome}, in arrival order. */
    private void end(Barrier b, Outcome outcome, Deliveries out) {
        byKey.remove(b.key);
        budget.give();
        for (Party p : b.parties) {
            forget(p);
            out.add(p.listener, outcome);
        }
        b.parties.clear();
    }

    private void forget(Party p) {
        p.timer.cancel();
        byOwner.remove(p.owner);
    }

    /** The barriers in key order, for {@link BarrierCodec}. */
    synchronized List<Barrier> all() {
        List<Barrier> out = new ArrayList<>(byKey.values());
        out.sort((x, y) -> x.key.compareTo(y.key));
        return out;
    }

    /** Restores a barrier with no party yet (snapshot reading); its key is taken from the budget as a new one's. */
    synchronized Barrier restore(String key, int count, long lastArrival) {
        budget.tryTake();
        Barrier b = new Barrier(key, count);
        b.lastArrival = lastArrival;
        byKey.put(key, b);
        return b;
    }

    long now() {
        return clock.nanoTime();
    }

    private static long seconds(long s) {
        return s > Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE / 2 : s * 1_000_000_000L;
    }

    /**
     * The {@code --max-keys} budget shared by counters, entries, lists and barriers (semantics of
     * §6.16-6.20). {@link #UNLIMITED} until the data store's budget is plugged in here.
     */
    public interface KeyBudget {
        /** No limit: every key may be created. */
        KeyBudget UNLIMITED = new KeyBudget() {
            @Override
            public boolean tryTake() {
                return true;
            }

            @Override
            public void give() {
            }
        };

        /** Takes one key of the budget; false (nothing taken) when it is used up. */
        boolean tryTake();

        /** Gives back a key taken by {@link #tryTake}. */
        void give();
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

    /** One connection waiting at a barrier. */
    static final class Party {
        final Barrier barrier;
        final LockOwner owner;
        final WaitListener listener;
        final long deadline;
        Scheduler.Cancellable timer = Scheduler.Cancellable.NONE;

        Party(Barrier barrier, LockOwner owner, WaitListener listener, long deadline) {
            this.barrier = barrier;
            this.owner = owner;
            this.listener = listener;
            this.deadline = deadline;
        }
    }

    /** Outcomes collected under the monitor, handed to their listeners once it is released. */
    private static final class Deliveries {
        private List<WaitListener> listeners;
        private Outcome outcome;

        void add(WaitListener l, Outcome o) {
            if (listeners == null) {
                listeners = new ArrayList<>(2);
            }
            listeners.add(l);
            outcome = o; // one ending per call: every party of it gets the same outcome
        }

        void deliver() {
            if (listeners != null) {
                listeners.forEach(l -> l.onOutcome(outcome));
            }
        }
    }
}
