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
 * orphan's party stays at its barrier; a barrier that ends while nobody can be told (the session is an
 * orphan, or took one over and has not re-sent its {@code bwait}) keeps that outcome for the client,
 * for {@code --orphan-ttl} (a client that re-sends does so at once; a later {@code bwait} of the key is
 * a new round's); and the client's re-sent {@code bwait} on that key and count is answered from the
 * kept outcome, or takes over the party that an earlier session of the client still has there. Sorted
 * maps, confined to the apply thread.
 */
final class OrphanParties {
    /**
     * How a barrier the client waited at ended: {@code DONE} (it tripped) or {@code TIMEOUT} (it broke),
     * kept until {@code until} (replicated time).
     */
    private record Kept(int count, Outcome.Kind kind, long until) {
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

    /** {@code owner}'s blocking call of {@code session} ended with {@code outcome}, told to nobody: kept if it was a party. */
    void keep(SessionKey session, LockOwner owner, Outcome outcome) {
        PartyAdoption.Arrival arrival = PartyAdoption.arrivalOf(owner);
        if (arrival != null) {
            kept.computeIfAbsent(session, s -> new TreeMap<>()).put(arrival.key(),
                    new Kept(arrival.count(), outcome.kind(), clock.nanoTime() + ttlNanos));
        }
    }

    /** {@code to} took over {@code from}'s owner, and with it what its parties left. */
    void moved(SessionKey from, SessionKey to) {
        TreeMap<String, Kept> outcomes = kept.remove(from);
        if (outcomes != null) {
            kept.put(to, outcomes);
        }
    }

    void forget(SessionKey session) {
        kept.remove(session);
    }

    /**
     * A {@code bwait} of {@code session}: answered from a kept outcome of the same key and count (once,
     * within its time; the first {@code bwait} of the key drops it either way),
     * or it takes over the party an earlier session of the same client has waiting at that barrier
     * (answered later, counted once; the earlier session's call is answered to nobody).
     *
     * @return the outcome, or {@code null} to run the request as usual
     */
    Outcome resume(SessionKey session, LockOwner owner, Request request, WaitListener listener) {
        if (!(request instanceof Request.BarrierWait b)) {
            return null;
        }
        TreeMap<String, Kept> outcomes = kept.get(session);
        Kept k = outcomes == null ? null : outcomes.remove(b.key());
        if (outcomes != null && outcomes.isEmpty()) {
            kept.remove(session);
        }
        if (k != null && k.count() == b.count() && clock.nanoTime() - k.until < 0) {
            return Outcome.of(k.kind());
        }
        SessionKey earlier = refs.carrierOf(session);
        LockOwner from = earlier == null ? null : state.owner(earlier);
        if (from != null && PartyAdoption.move(from, owner, new PartyAdoption.Arrival(b.key(), b.count()),
                b.timeoutSeconds(), listener)) {
            state.answerNobody(earlier);
            return Outcome.pending();
        }
        return null;
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
            }
        }
    }

    /** Reads what {@link #write} wrote. */
    void read(DataInput in) throws IOException {
        for (int i = in.readInt(); i > 0; i--) {
            TreeMap<String, Kept> outcomes = new TreeMap<>();
            kept.put(StableRefs.readSession(in), outcomes);
            for (int k = in.readInt(); k > 0; k--) {
                outcomes.put(in.readUTF(), new Kept(in.readInt(), in.readBoolean() ? Outcome.Kind.DONE : Outcome.Kind.TIMEOUT,
                        in.readLong()));
            }
        }
    }
}
