package io.dflockd.server.cluster;

import io.dflockd.protocol.Request;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.SlotAdoption;
import io.dflockd.server.lock.WaitListener;
import io.dflockd.server.time.Scheduler;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Stable client references and orphans (CLUSTER-DESIGN.md §3.5), part of the replicated state. A
 * session that sent {@code stable-ref} acts for that client. When it ends and is demonstrably gone —
 * a graceful disconnect, its node restarted ({@link ClusterCommand.NodeUp}) or declared gone
 * ({@link ClusterCommand.NodeGone}) — and {@code --orphan-ttl} is on, its owner's queue places,
 * records and slots are kept as an <em>orphan</em> for the TTL instead of being cleaned up: waiters
 * keep their FIFO place (one reaching the head is granted and holds for its lease, unanswered). A
 * later session of the same client takes the orphan over ({@link ClusterCommand.BindRef}, or at once
 * when it bound the reference while the old session still looked alive); its next
 * {@code l}/{@code sl}/{@code e}/{@code se} on each key answers from the kept place. An orphan nobody
 * takes over ends exactly at its TTL on replicated time, with the cleanup its end deferred.
 *
 * <p>A reference carried by a live session is never taken over: another session naming it only
 * queues as any session does. Every map is sorted, so replicas iterate alike; confined to the apply
 * thread.
 */
final class StableRefs {
    /** How an orphan's session ended (what its expiry finishes) and when it expires (replicated time). */
    private record Orphan(long expiresAt, boolean graceful, Scheduler.Cancellable timer) {
    }

    private final ReplicatedLocks state;
    private final ReplicatedTimers timers;
    private final ApplyClock clock;
    private final long ttlNanos;
    /** The reference each session bound (live and orphaned sessions). */
    private final TreeMap<SessionKey, String> refOf = new TreeMap<>();
    /** The session whose owner carries a reference's places: its first binder, or who took it over. */
    private final TreeMap<String, SessionKey> carrier = new TreeMap<>();
    private final TreeMap<SessionKey, Orphan> orphans = new TreeMap<>();
    /** Keys on which a session that took an orphan over has not yet re-sent its request. */
    private final TreeMap<SessionKey, TreeSet<String>> adoptable = new TreeMap<>();

    StableRefs(ReplicatedLocks state, ReplicatedTimers timers, ApplyClock clock, long ttlNanos) {
        this.state = state;
        this.timers = timers;
        this.clock = clock;
        this.ttlNanos = ttlNanos;
    }

    /** {@code stable-ref}; a second one of a session is ignored (its node answers it {@code error}). */
    void bind(SessionKey session, String ref) {
        if (refOf.putIfAbsent(session, ref) != null) {
            return;
        }
        SessionKey current = carrier.get(ref);
        if (current == null) {
            carrier.put(ref, session);
        } else if (orphans.containsKey(current)) {
            adopt(session, current);
        }
    }

    /**
     * The session that carries the places of {@code session}'s client when that is another one (an
     * earlier connection of the same client, live or orphaned); else {@code null}.
     */
    SessionKey carrierOf(SessionKey session) {
        String ref = refOf.get(session);
        SessionKey current = ref == null ? null : carrier.get(ref);
        return session.equals(current) ? null : current;
    }

    boolean hasRef(SessionKey session) {
        return refOf.containsKey(session);
    }

    boolean isOrphan(SessionKey session) {
        return orphans.containsKey(session);
    }

    /**
     * The session ended. With a reference it carries, the TTL on and something in the lock state, its
     * owner becomes an orphan (and is taken over at once by a live session of the same client, if one
     * bound the reference meanwhile).
     *
     * @return whether it was kept; if not, the caller cleans it up and calls {@link #forget}
     */
    boolean keep(SessionKey session, boolean graceful) {
        String ref = refOf.get(session);
        LockOwner owner = state.owner(session);
        if (ttlNanos == 0 || ref == null || !session.equals(carrier.get(ref)) || owner == null
                || SlotAdoption.isEmpty(owner)) {
            return false;
        }
        adoptable.remove(session);
        arm(session, owner, clock.nanoTime() + ttlNanos, graceful);
        for (SessionKey claimant : liveSessionsOf(ref)) {
            if (adopt(claimant, session)) {
                break;
            }
        }
        return true;
    }

    /** The session is gone for good: its reference passes to a live session of the same client, if any. */
    void forget(SessionKey session) {
        String ref = refOf.remove(session);
        adoptable.remove(session);
        if (ref == null || !session.equals(carrier.get(ref))) {
            return;
        }
        carrier.remove(ref);
        List<SessionKey> live = liveSessionsOf(ref);
        if (!live.isEmpty()) {
            carrier.put(ref, live.get(0));
        }
    }

    /** The sessions bound to {@code ref} that are not orphans, in key order (a copy: adoption changes the maps). */
    private List<SessionKey> liveSessionsOf(String ref) {
        List<SessionKey> live = new ArrayList<>();
        refOf.forEach((s, r) -> {
            if (r.equals(ref) && !orphans.containsKey(s)) {
                live.add(s);
            }
        });
        return live;
    }

    /**
     * A request of a session that took an orphan over, on a key where the orphan had a place: answered
     * from that place, once per key (CLUSTER-DESIGN.md §3.5).
     *
     * @return the outcome, or {@code null} to run the request as usual
     */
    Outcome resume(SessionKey session, LockManager locks, LockOwner owner, Request request, WaitListener listener) {
        TreeSet<String> keys = adoptable.get(session);
        if (keys == null || !(request instanceof Request.Acquire || request instanceof Request.Enqueue
                || request instanceof Request.Elect) || !keys.remove(request.key())) {
            return null;
        }
        if (keys.isEmpty()) {
            adoptable.remove(session);
        }
        return SlotAdoption.resume(locks, owner, request, listener);
    }

    /**
     * {@code claimant} takes over {@code orphan}'s owner. A claimant with nothing of its own simply
     * drops its empty owner; one blocked in a request it re-sent too early has that call moved onto the
     * orphan's place on the key; one holding anything else does not take over (never merge two owners).
     */
    private boolean adopt(SessionKey claimant, SessionKey orphan) {
        LockOwner kept = state.owner(orphan);
        LockOwner own = state.owner(claimant);
        if (own != null && !SlotAdoption.isEmpty(own)) {
            boolean onlyBlocked = own.heldCount() == 0 && own.recordCount() == 0;
            if (!onlyBlocked || !SlotAdoption.moveBlockingCall(state.locks(), own, kept)) {
                return false;
            }
        }
        orphans.remove(orphan).timer().cancel();
        carrier.put(refOf.remove(orphan), claimant);
        state.transfer(orphan, claimant);
        adoptable.put(claimant, SlotAdoption.keys(kept));
        return true;
    }

    private void arm(SessionKey session, LockOwner owner, long expiresAt, boolean graceful) {
        Scheduler.Cancellable timer = timers.schedule(() -> expire(session), Math.max(0, expiresAt - clock.nanoTime()),
                Scheduler.ORPHAN, owner.id());
        orphans.put(session, new Orphan(expiresAt, graceful, timer));
    }

    /** Nobody took the orphan over within the TTL: the cleanup its session's end deferred happens now. */
    private void expire(SessionKey session) {
        Orphan o = orphans.remove(session);
        forget(session);
        state.end(session, o.graceful());
    }

    /** Appends this state to a snapshot, in key order. */
    void write(DataOutput out) throws IOException {
        out.writeInt(refOf.size());
        for (Map.Entry<SessionKey, String> e : refOf.entrySet()) {
            writeSession(out, e.getKey());
            out.writeUTF(e.getValue());
            out.writeBoolean(e.getKey().equals(carrier.get(e.getValue())));
        }
        out.writeInt(orphans.size());
        for (Map.Entry<SessionKey, Orphan> e : orphans.entrySet()) {
            writeSession(out, e.getKey());
            out.writeLong(e.getValue().expiresAt());
            out.writeBoolean(e.getValue().graceful());
        }
        out.writeInt(adoptable.size());
        for (Map.Entry<SessionKey, TreeSet<String>> e : adoptable.entrySet()) {
            writeSession(out, e.getKey());
            out.writeInt(e.getValue().size());
            for (String key : e.getValue()) {
                out.writeUTF(key);
            }
        }
    }

    /** Reads what {@link #write} wrote, after the sessions; re-arms the orphans' expiry timers. */
    void read(DataInput in) throws IOException {
        for (int i = in.readInt(); i > 0; i--) {
            SessionKey s = readSession(in);
            String ref = in.readUTF();
            refOf.put(s, ref);
            if (in.readBoolean()) {
                carrier.put(ref, s);
            }
        }
        for (int i = in.readInt(); i > 0; i--) {
            SessionKey s = readSession(in);
            long expiresAt = in.readLong();
            arm(s, state.owner(s), expiresAt, in.readBoolean());
        }
        for (int i = in.readInt(); i > 0; i--) {
            SessionKey s = readSession(in);
            TreeSet<String> keys = new TreeSet<>();
            for (int k = in.readInt(); k > 0; k--) {
                keys.add(in.readUTF());
            }
            adoptable.put(s, keys);
        }
    }

    static void writeSession(DataOutput out, SessionKey s) throws IOException {
        out.writeUTF(s.node());
        out.writeLong(s.incarnation());
        out.writeLong(s.localId());
    }

    static SessionKey readSession(DataInput in) throws IOException {
        return new SessionKey(in.readUTF(), in.readLong(), in.readLong());
    }
}
