package io.dflockd.server.cluster;

import io.dflockd.protocol.Request;
import io.dflockd.server.data.PartyAdoption;
import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.WaitListener;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The barrier parties of clients with a stable reference (CLUSTER-DESIGN.md §3.5), part of the
 * replicated state. A client counts once at a barrier, whichever of its sessions waits there: an
 * orphan's party stays at its barrier, and a re-sent {@code bwait} takes over the party that an
 * earlier session of the client (an orphan, or one whose node died unnoticed yet) has there. How a
 * barrier ended for a session with a reference is kept for {@code --orphan-ttl}, so that the client's
 * re-sent {@code bwait} of that key and count is answered from it: a trip is never lost to a dead
 * session. Sorted maps, confined to the apply thread.
 */
final class OrphanParties {
    /**
     * How a barrier the client waited at ended, {@code DONE} (it tripped) or {@code TIMEOUT} (it broke),
     * kept until {@code until} (replicated time); {@code told}: answered to the session that waited, so
     * it answers only another session of the client (a re-send), not that session's next round.
     */
    private record Kept(int count, Outcome.Kind kind, long until, boolean told) {
    }

    private final ReplicatedLocks state;
    private final StableRefs refs;
    private final ApplyClock clock;
    private final long ttlNanos;
    private final TreeMap<SessionKey, TreeMap<String, Kept>> kept = new TreeMap<>();

    OrphanParties(ReplicatedLocks state, StableRefs refs, ApplyClock clock, long ttlNanos) {
        this.state = state;
        this.refs = refs;
        this.clock = clock;
        this.ttlNanos = ttlNanos;
    }

    /**
     * {@code owner}'s blocking call of {@code session}, a session with a reference, ended with
     * {@code outcome}, {@code told} to the session or not: kept if it was a party.
     */
    void keep(SessionKey session, LockOwner owner, Outcome outcome, boolean told) {
        PartyAdoption.Arrival arrival = PartyAdoption.arrivalOf(owner);
        if (arrival == null || ttlNanos == 0) {
            return; // not a party, or --orphan-ttl off: nothing would be kept for any time
        }
        long now = clock.nanoTime();
        TreeMap<String, Kept> outcomes = kept.computeIfAbsent(session, s -> new TreeMap<>());
        outcomes.values().removeIf(k -> now - k.until() >= 0);
        outcomes.put(arrival.key(), new Kept(arrival.count(), outcome.kind(), now + ttlNanos, told));
    }

    /** {@code to} took over {@code from}'s owner, and with it what its parties left, none of it told to {@code to}. */
    void moved(SessionKey from, SessionKey to) {
        TreeMap<String, Kept> outcomes = kept.remove(from);
        if (outcomes != null) {
            outcomes.forEach((key, k) -> kept.computeIfAbsent(to, s -> new TreeMap<>())
                    .put(key, new Kept(k.count(), k.kind(), k.until(), false)));
        }
    }

    void forget(SessionKey session) {
        kept.remove(session);
    }

    /**
     * A {@code bwait} of {@code session}: answered from an outcome of the same key and count kept for
     * it and not told to it, or else kept for the earlier session of the same client (once each, within
     * its time; the session's own {@code bwait} of the key drops its entry either way); or it takes over
     * the party an earlier session of the same client has waiting at that barrier (answered later,
     * counted once; the earlier session's call is answered to nobody).
     *
     * @return the outcome, or {@code null} to run the request as usual
     */
    Outcome resume(SessionKey session, LockOwner owner, Request request, WaitListener listener) {
        if (!(request instanceof Request.BarrierWait b)) {
            return null;
        }
        SessionKey earlier = refs.carrierOf(session);
        Kept own = take(session, b.key());
        Kept k = own != null ? (own.told() ? null : own) : earlier == null ? null : take(earlier, b.key());
        if (k != null && k.count() == b.count() && clock.nanoTime() - k.until() < 0) {
            return Outcome.of(k.kind());
        }
        LockOwner from = earlier == null ? null : state.owner(earlier);
        if (from != null && PartyAdoption.move(from, owner, new PartyAdoption.Arrival(b.key(), b.count()),
                b.timeoutSeconds(), listener)) {
            state.answerNobody(earlier);
            return Outcome.pending();
        }
        return null;
    }

    /** Removes and returns what is kept for {@code session} on {@code key}. */
    private Kept take(SessionKey session, String key) {
        TreeMap<String, Kept> outcomes = kept.get(session);
        Kept k = outcomes == null ? null : outcomes.remove(key);
        if (outcomes != null && outcomes.isEmpty()) {
            kept.remove(session);
        }
        return k;
    }

    /** Appends the kept outcomes to a snapshot, by session and key. */
    void write(DataOutput out) throws IOException {
        out.writeInt(kept.size());
        for (Map.Entry<SessionKey, TreeMap<String, Kept>> e : kept.entrySet()) {
            StableRefs.writeSession(out, e.getKey());
            out.writeInt(e.getValue().size());
            for (Map.Entry<String, Kept> k : e.getValue().entrySet()) {
                out.writeUTF(k.getKey());
                out.writeInt(k.getValue().count());
                out.writeBoolean(k.getValue().kind() == Outcome.Kind.DONE);
                out.writeLong(k.getValue().until());
                out.writeBoolean(k.getValue().told());
            }
        }
    }

    /** Reads what {@link #write} wrote. */
    void read(DataInput in) throws IOException {
        for (int i = in.readInt(); i > 0; i--) {
            TreeMap<String, Kept> outcomes = new TreeMap<>();
            kept.put(StableRefs.readSession(in), outcomes);
            for (int k = in.readInt(); k > 0; k--) {
                outcomes.put(in.readUTF(), new Kept(in.readInt(),
                        in.readBoolean() ? Outcome.Kind.DONE : Outcome.Kind.TIMEOUT, in.readLong(), in.readBoolean()));
            }
        }
    }
}
