package io.dflockd.server.cluster;

import io.dflockd.protocol.Command;
import io.dflockd.protocol.LockKind;
import io.dflockd.protocol.Request;
import io.dflockd.server.lock.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random log entries over few keys and sessions, as a cluster would commit them: locks, a semaphore
 * and a read-write lock (now and then a command of the wrong type for its key), counters, entries
 * with short TTLs and lists with blocking pops (up to their limits); batches of
 * operations from sessions with nothing in flight, stable references (two clients' refs shared by
 * several sessions; a client that closes while it waits re-sends its call through its next session),
 * disconnects, node restarts and nodes declared gone, ticks, stamps that jump
 * forward, go slightly back within a term, and restart from anywhere when the term changes. Tokens in
 * releases and renewals are ones the replicas handed out (some stale), so the lock paths are really
 * exercised. A session that ended is replaced by a new one (a new connection id), as on a real node.
 */
final class LogGenerator {
    record Next(long term, byte[] bytes) {
    }

    private static final long S = 1_000_000_000L;
    private static final String[] LOCKS = {"a", "b", "c"};
    private static final String SEMAPHORE = "s";
    private static final String READ_WRITE = "rw";
    /** The data keys: more than --max-keys of the replicas allows, so that it is reached. */
    private static final String[] DATA = {"a", "b", "d", "q"};

    private final Random rnd;
    private final List<Delivered> delivered;
    private final Map<String, String> keyOfOp = new HashMap<>();
    private final List<SessionKey> sessions = new ArrayList<>();
    private final long[] nextSeq;
    private final long[] incarnation = {0, 11, 22};
    /** The stable reference each session bound. */
    private final Map<SessionKey, String> bound = new HashMap<>();
    /** The blocking request each session has in flight (re-sent by its client's next session). */
    private final Map<SessionKey, Request> inFlightRequest = new HashMap<>();
    /** A call a session re-sends as its next request, for its client's earlier session. */
    private final Map<SessionKey, Request> reSend = new HashMap<>();
    private long nextLocalId = 4;
    /** Sessions with a blocking call in progress, and its request number (one at a time, as on a connection). */
    private final Map<SessionKey, Long> inFlight = new HashMap<>();
    private final List<String[]> tokens = new ArrayList<>();
    /** The pushes proposed ("session#seq"), to count those handed straight to a blocked pop. */
    private final Set<String> pushes = new HashSet<>();
    private int handOffs;
    private int seen;
    private long term = 1;
    private long stamp;

    /** @param delivered a replica's outcomes, read to learn tokens and which blocking calls ended */
    LogGenerator(Random rnd, List<Delivered> delivered) {
        this.rnd = rnd;
        this.delivered = delivered;
        for (int node = 1; node <= 2; node++) {
            for (int id = 1; id <= 3; id++) {
                sessions.add(new SessionKey("n" + node, incarnation[node], id));
            }
        }
        nextSeq = new long[sessions.size()];
        stamp = rnd.nextLong();
    }

    Next next() {
        learn();
        int roll = rnd.nextInt(100);
        if (roll < 5) {
            term += 1 + rnd.nextInt(2);
            stamp = rnd.nextLong(); // a new leader's clock: anything
        } else if (roll < 10) {
            stamp -= rnd.nextInt(200) * 1_000_000L; // parallel stamping: slightly out of order
        } else {
            stamp += rnd.nextInt(1500) * 1_000_000L;
        }
        List<ClusterCommand> batch = new ArrayList<>();
        if (rnd.nextInt(100) < 20) {
            batch.add(new ClusterCommand.Tick());
        } else if (rnd.nextInt(100) < 2) {
            // node 1 restarts: its sessions' waiters go (their blocking calls end unanswered), locks stay;
            // sessions with a stable reference become orphans
            incarnation[1] = rnd.nextLong() | 1;
            batch.add(new ClusterCommand.NodeUp("n1", incarnation[1]));
            renew(1);
        } else if (rnd.nextInt(100) < 2) {
            // node 2 is declared gone (its later commands are refused), then comes back as a new process
            batch.add(new ClusterCommand.NodeGone("n2", incarnation[2]));
            if (rnd.nextBoolean()) {
                batch.add(op(sessions.get(3), Request.Acquire.lock("a", 0, 0)));
            }
            incarnation[2] = rnd.nextLong() | 1;
            batch.add(new ClusterCommand.NodeUp("n2", incarnation[2]));
            renew(2);
        } else {
            int n = 1 + rnd.nextInt(4);
            for (int i = 0; i < n; i++) {
                int who = rnd.nextInt(sessions.size());
                SessionKey s = sessions.get(who);
                if (rnd.nextInt(100) < (!inFlight.containsKey(s) ? 7 : bound.containsKey(s) ? 30 : 0)) {
                    batch.add(new ClusterCommand.Disconnect(s));
                    replace(who, s.incarnation());
                    reSend(s, sessions.get(who), batch);
                    continue;
                }
                if (inFlight.containsKey(s)) {
                    continue;
                }
                if (rnd.nextInt(100) < 8 && !bound.containsKey(s)) {
                    String ref = "client-" + rnd.nextInt(2);
                    bound.put(s, ref);
                    batch.add(new ClusterCommand.BindRef(s, ref));
                    continue;
                }
                Request again = reSend.remove(s);
                batch.add(op(s, again != null ? again : request()));
            }
        }
        byte[] bytes = ClusterCodec.stamp(ClusterCodec.encodeProposal(batch), stamp,
                1_700_000_000_000_000_000L + rnd.nextInt(1000), rnd.nextLong());
        return new Next(term, bytes);
    }

    private ClusterCommand op(SessionKey s, Request r) {
        int who = sessions.indexOf(s);
        boolean blocking = r instanceof Request.Acquire a && a.timeoutSeconds() > 0
                || r instanceof Request.Elect e && e.timeoutSeconds() > 0
                || r instanceof Request.Wait w && w.timeoutSeconds() > 0
                || r instanceof Request.ListPop p && p.blocking() && p.timeoutSeconds() > 0
                || r instanceof Request.BarrierWait b && b.timeoutSeconds() > 0;
        long seq = ++nextSeq[who];
        if (blocking) {
            inFlight.put(s, seq); // may end at once (granted); learn() clears it then
            inFlightRequest.put(s, r);
        }
        keyOfOp.put(s + "#" + seq, r.key());
        if (r instanceof Request.ListPush) {
            pushes.add(s + "#" + seq);
        }
        return new ClusterCommand.Op(s, seq, r);
    }

    /**
     * A client closed {@code old}. If it was waiting with a stable reference, it reconnects as
     * {@code next} at once, names its reference again and re-sends that call as its next request, which
     * the orphan's place answers (CLUSTER-DESIGN.md §3.5: a kept queue place, held slot, barrier party
     * or barrier outcome).
     */
    private void reSend(SessionKey old, SessionKey next, List<ClusterCommand> batch) {
        String ref = bound.get(old);
        Long seq = inFlight.remove(old);
        if (ref != null && seq != null) {
            bound.put(next, ref);
            batch.add(new ClusterCommand.BindRef(next, ref));
            reSend.put(next, inFlightRequest.get(old));
        }
    }

    /** Node {@code node}'s sessions ended with its process: new connections of its new incarnation replace them. */
    private void renew(int node) {
        for (int i = 0; i < sessions.size(); i++) {
            if (sessions.get(i).node().equals("n" + node)) {
                inFlight.remove(sessions.get(i)); // answered (or not) by the old process; nobody waits here
                replace(i, incarnation[node]);
            }
        }
    }

    private void replace(int who, long incarnationOfNode) {
        sessions.set(who, new SessionKey(sessions.get(who).node(), incarnationOfNode, nextLocalId++));
        nextSeq[who] = 0;
    }

    private Request request() {
        if (rnd.nextInt(3) == 0) {
            return dataRequest();
        }
        int family = rnd.nextInt(8);
        LockKind kind = family < 2 ? LockKind.SEMAPHORE
                : family < 5 ? (rnd.nextBoolean() ? LockKind.READ : LockKind.WRITE) : LockKind.LOCK;
        String key = kind == LockKind.SEMAPHORE ? SEMAPHORE : kind.readWrite() ? READ_WRITE : LOCKS[rnd.nextInt(LOCKS.length)];
        if (rnd.nextInt(16) == 0) {
            key = kind.readWrite() ? LOCKS[0] : READ_WRITE; // now and then a key of the other type
        }
        long lease = rnd.nextInt(4); // 0 = the default
        long timeout = rnd.nextInt(10) == 0 ? 10 : rnd.nextInt(3); // a long wait now and then: queues fill up
        String token = token(key);
        int limit = rnd.nextInt(8) == 0 ? 3 : 2; // now and then a limit the key was not created with
        switch (rnd.nextInt(7)) {
            case 0:
            case 1:
                return switch (kind) {
                    case LOCK -> rnd.nextBoolean() ? Request.Acquire.lock(key, timeout, lease)
                            : new Request.Elect(key, timeout, lease); // an election is a lock (§6.15)
                    case SEMAPHORE -> Request.Acquire.semaphore(key, timeout, limit, lease);
                    default -> Request.Acquire.readWrite(kind, key, timeout, lease);
                };
            case 2:
                return switch (kind) {
                    case LOCK -> Request.Enqueue.lock(key, lease);
                    case SEMAPHORE -> Request.Enqueue.semaphore(key, limit, lease);
                    default -> Request.Enqueue.readWrite(kind, key, lease);
                };
            case 3:
                return new Request.Wait(key, timeout, kind);
            case 4:
                return kind == LockKind.LOCK && rnd.nextBoolean() ? new Request.Resign(key, token)
                        : new Request.Release(key, token, kind);
            case 5:
                return new Request.Renew(key, token, lease, kind);
            default:
                return new Request.Keep(key, token, 1 + lease, kind == LockKind.SEMAPHORE);
        }
    }

    private Request dataRequest() {
        String key = DATA[rnd.nextInt(DATA.length)];
        long ttl = rnd.nextInt(3);
        String value = "v" + rnd.nextInt(3);
        return switch (rnd.nextInt(17)) {
            case 0 -> new Request.CounterOp(Command.INCR, key, rnd.nextInt(4) == 0 ? Long.MAX_VALUE : rnd.nextInt(5));
            case 1 -> new Request.CounterOp(Command.DECR, key, rnd.nextInt(4) == 0 ? Long.MIN_VALUE : rnd.nextInt(5));
            case 2 -> new Request.CounterOp(rnd.nextBoolean() ? Command.CSET : Command.GET, key, rnd.nextInt(2));
            case 3 -> new Request.KvSet(key, value, ttl);
            case 4 -> new Request.KvGet(key);
            case 5 -> new Request.KvDelete(key);
            case 6 -> new Request.KvCas(key, rnd.nextBoolean() ? "" : "v" + rnd.nextInt(3), value, ttl);
            case 7, 8 -> new Request.ListPush(key, value, rnd.nextBoolean());
            case 9 -> Request.ListPop.now(key, rnd.nextBoolean());
            case 10 -> new Request.ListLength(key);
            case 11 -> new Request.ListRange(key, rnd.nextInt(5) - 2, rnd.nextInt(5) - 2);
            case 15, 16 -> new Request.BarrierWait(key, 1 + rnd.nextInt(3), rnd.nextInt(3));
            default -> new Request.ListPop(key, rnd.nextBoolean(), true, rnd.nextInt(3));
        };
    }

    private String token(String key) {
        List<String> known = new ArrayList<>();
        for (String[] t : tokens) {
            if (t[0].equals(key)) {
                known.add(t[1]);
            }
        }
        if (known.isEmpty() || rnd.nextInt(10) == 0) {
            return String.format("%032x", rnd.nextLong() & Long.MAX_VALUE);
        }
        return known.get(rnd.nextInt(known.size()));
    }

    /** Pushes so far whose item went straight to a blocked pop. */
    int handOffs() {
        learn();
        return handOffs;
    }

    /** Reads what the replica delivered since last time: tokens granted, blocking calls that ended. */
    private void learn() {
        for (; seen < delivered.size(); seen++) {
            Delivered d = delivered.get(seen);
            inFlight.remove(d.session(), d.seq()); // the final outcome of the session's blocking call
            if (d.kind() == Outcome.Kind.NUMBER && d.seconds() == 0 && pushes.contains(d.session() + "#" + d.seq())) {
                handOffs++; // "ok 0": a blocked pop took the item
            }
            if (d.token() != null) {
                tokens.add(new String[] {keyOfOp.get(d.session() + "#" + d.seq()), d.token()});
            }
        }
    }
}
