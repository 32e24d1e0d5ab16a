package io.dflockd.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.dflockd.protocol.Command;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.WatchFrame;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.ResourceSnapshot;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The replicated state is deterministic: replicas that apply the same log bytes produce the same
 * outcomes (tokens included) and the same state, whatever the stamps, terms and interleavings; and
 * the time rule never shortens a lease across a change of leader.
 */
class ReplicatedLocksTest {
    private static final long S = 1_000_000_000L;
    private static final SessionKey ALICE = new SessionKey("n1", 7, 1);
    private static final SessionKey BOB = new SessionKey("n2", 9, 1);

    private static byte[] entry(long stamp, long seed, ClusterCommand... commands) {
        return Replica.entry(stamp, seed, commands);
    }

    @Test
    void replicasApplyingTheSameRandomLogAgreeOnEveryOutcomeAndStateAlsoAfterASnapshotRestore() {
        Set<Outcome.Kind> kinds = EnumSet.noneOf(Outcome.Kind.class);
        int restarts = 0;
        long popHandOffs = 0;
        int mostReaders = 0;
        boolean writerHeld = false;
        Set<String> leaderEvents = new HashSet<>();
        Set<String> watchEvents = new HashSet<>();
        for (long seed = 1; seed <= 40; seed++) {
            Random rnd = new Random(seed);
            Replica a = new Replica();
            Replica b = new Replica();
            LogGenerator gen = new LogGenerator(rnd, a.out);
            for (int step = 0; step < 400; step++) {
                LogGenerator.Next next = gen.next();
                a.apply(next.term(), next.bytes());
                b.apply(next.term(), next.bytes());
                if (rnd.nextInt(25) == 0) {
                    b.restart(); // from here on b runs on state read back from a snapshot
                    restarts++;
                }
                assertThat(b.out).as("seed %d step %d", seed, step).isEqualTo(a.out);
                assertThat(b.pushes).as("leader pushes, seed %d step %d", seed, step).isEqualTo(a.pushes);
                assertThat(b.state()).as("seed %d step %d", seed, step).isEqualTo(a.state());
                assertThat(b.locks.now()).isEqualTo(a.locks.now());
                assertThat(b.locks.lastFence()).isEqualTo(a.locks.lastFence());
                assertThat(b.snapshot()).as("seed %d step %d", seed, step).isEqualTo(a.snapshot());
                for (ResourceSnapshot r : a.locks.snapshot()) {
                    if (r.readWrite()) {
                        mostReaders = Math.max(mostReaders, r.readers());
                        writerHeld |= r.writer();
                    }
                }
            }
            assertOneFencePerToken(a.out);
            a.pushes.forEach(p -> (p.startsWith("leader ") ? leaderEvents : watchEvents).add(p.split(" ")[1]));
            kinds.addAll(a.out.stream().map(Delivered::kind).toList());
            popHandOffs += gen.handOffs();
        }
        assertThat(restarts).isGreaterThan(100);
        assertThat(kinds).as("the generated logs exercise every outcome").containsAll(EnumSet.of(
                Outcome.Kind.GRANTED, Outcome.Kind.ACQUIRED, Outcome.Kind.QUEUED, Outcome.Kind.RELEASED,
                Outcome.Kind.RENEWED, Outcome.Kind.TIMEOUT, Outcome.Kind.ERROR, Outcome.Kind.NOT_ENQUEUED,
                Outcome.Kind.LIMIT_MISMATCH, Outcome.Kind.MAX_WAITERS, Outcome.Kind.ALREADY_ENQUEUED,
                Outcome.Kind.UNAVAILABLE, Outcome.Kind.TYPE_MISMATCH, Outcome.Kind.DONE, Outcome.Kind.NUMBER,
                Outcome.Kind.VALUE, Outcome.Kind.NIL, Outcome.Kind.CAS_CONFLICT, Outcome.Kind.MAX_KEYS,
                Outcome.Kind.LIST_FULL, Outcome.Kind.BARRIER_COUNT_MISMATCH));
        assertThat(popHandOffs).as("pushes went straight to blocked pops").isPositive();
        assertThat(mostReaders).as("readers shared the read-write lock").isGreaterThanOrEqualTo(2);
        assertThat(writerHeld).as("a writer held it").isTrue();
        assertThat(leaderEvents).as("every replica pushes the same leader events, of every kind")
                .containsExactlyInAnyOrder("elected", "resigned", "failover", "lost");
        assertThat(watchEvents).as("every replica pushes the same watch events, of every kind")
                .containsExactlyInAnyOrder(Arrays.stream(WatchFrame.Event.values()).map(WatchFrame.Event::wire)
                        .toArray(String[]::new));
    }

    /** Every distinct token carries its own fence (a two-phase grant is delivered twice: e, then w). */
    private static void assertOneFencePerToken(List<Delivered> out) {
        Map<Long, String> tokenOfFence = new HashMap<>();
        for (Delivered d : out) {
            if (d.token() != null) {
                long fence = Long.parseUnsignedLong(d.token().substring(0, 16), 16);
                assertThat(tokenOfFence.computeIfAbsent(fence, f -> d.token())).isEqualTo(d.token());
            }
        }
    }

    @Test
    void tokensAreSaltedFromTheEntrySeedAndFencesAreSeededFromTheLeadersWallClock() {
        Replica a = new Replica();
        a.apply(1, entry(100 * S, 42, op(ALICE, 1, Request.Acquire.lock("k", 0, 10))));
        Replica b = new Replica();
        b.apply(1, entry(100 * S, 43, op(ALICE, 1, Request.Acquire.lock("k", 0, 10))));
        String tokenA = a.out.get(0).token();
        String tokenB = b.out.get(0).token();
        assertThat(tokenA.substring(0, 16)).isEqualTo(tokenB.substring(0, 16))
                .isEqualTo(String.format("%016x", 1_700_000_000_000_000_001L));
        assertThat(tokenA.substring(16)).isNotEqualTo(tokenB.substring(16));
    }

    @Test
    void aNewLeaderWhoseClockIsFarBehindDoesNotShortenALease() {
        Replica r = new Replica();
        r.apply(1, entry(5_000 * S, 1, op(ALICE, 1, Request.Acquire.lock("k", 0, 10))));
        r.apply(1, entry(5_004 * S, 2, new ClusterCommand.Tick()));
        // Term 2: the new leader's clock reads 3 s. Its first entry continues time where term 1 left it.
        r.apply(2, entry(3 * S, 3, op(BOB, 1, Request.Acquire.lock("k", 0, 10))));
        assertThat(last(r).kind()).isEqualTo(Outcome.Kind.TIMEOUT);
        r.apply(2, entry(3 * S + 5_999_000_000L, 4, op(BOB, 2, Request.Acquire.lock("k", 0, 10))));
        assertThat(last(r).kind()).as("6 s of the lease were left at the failover").isEqualTo(Outcome.Kind.TIMEOUT);
        r.apply(2, entry(3 * S + 6 * S, 5, op(BOB, 3, Request.Acquire.lock("k", 0, 10))));
        assertThat(last(r).kind()).isEqualTo(Outcome.Kind.GRANTED);
    }

    @Test
    void aNewLeaderWhoseClockIsFarAheadDoesNotShortenALease() {
        Replica r = new Replica();
        r.apply(1, entry(10 * S, 1, op(ALICE, 1, Request.Acquire.lock("k", 0, 10))));
        r.apply(4, entry(1_000_000 * S, 2, op(BOB, 1, Request.Acquire.lock("k", 0, 10))));
        assertThat(last(r).kind()).isEqualTo(Outcome.Kind.TIMEOUT);
        r.apply(4, entry(1_000_000 * S + 9_999_000_000L, 3, op(BOB, 2, Request.Acquire.lock("k", 0, 10))));
        assertThat(last(r).kind()).isEqualTo(Outcome.Kind.TIMEOUT);
    }

    @Test
    void stampsOutOfLogOrderNeverMoveTimeBack() {
        Replica r = new Replica();
        r.apply(1, entry(10 * S, 1, op(ALICE, 1, Request.Acquire.lock("k", 0, 10))));
        r.apply(1, entry(15 * S, 2, new ClusterCommand.Tick()));
        long before = r.locks.now();
        r.apply(1, entry(14 * S, 3, new ClusterCommand.Tick()));
        assertThat(r.locks.now()).isEqualTo(before);
    }

    @Test
    void aBlockedWaiterIsGrantedWhenTheHolderDisconnectsAndTimesOutOnReplicatedTime() {
        Replica r = new Replica();
        r.apply(1, entry(10 * S, 1, op(ALICE, 1, Request.Acquire.lock("k", 0, 30))));
        r.apply(1, entry(11 * S, 2, op(BOB, 1, Request.Acquire.lock("k", 5, 30))));
        assertThat(r.out).hasSize(1); // Bob waits
        r.apply(1, entry(12 * S, 3, new ClusterCommand.Disconnect(ALICE)));
        assertThat(last(r)).extracting(Delivered::session, Delivered::seq, Delivered::kind)
                .containsExactly(BOB, 1L, Outcome.Kind.GRANTED);

        SessionKey carol = new SessionKey("n3", 1, 1);
        r.apply(1, entry(13 * S, 4, op(carol, 1, Request.Acquire.lock("k", 2, 30))));
        r.apply(1, entry(14 * S + 999_999_999L, 5, new ClusterCommand.Tick()));
        assertThat(last(r).session()).isEqualTo(BOB);
        r.apply(1, entry(15 * S, 6, new ClusterCommand.Tick()));
        assertThat(last(r)).extracting(Delivered::session, Delivered::kind).containsExactly(carol,
                Outcome.Kind.TIMEOUT);
        assertThat(r.locks.sessionCount()).isEqualTo(2);
    }

    /**
     * A disconnect that frees two slots with waiters decides which waiter gets the next fence. Replicas
     * must free them in the same order (by fence), not in the hash order of the owner's holdings, which
     * differs between processes: twenty fresh replica pairs all agree, and the older holding goes first.
     */
    @Test
    void aDisconnectFreesTheOwnersSlotsInFenceOrderOnEveryReplica() {
        SessionKey carol = new SessionKey("n3", 1, 1);
        for (int round = 0; round < 20; round++) {
            List<Replica> pair = List.of(new Replica(), new Replica());
            for (Replica r : pair) {
                r.apply(1, entry(10 * S, 1, op(ALICE, 1, Request.Acquire.lock("x", 0, 30)),
                        op(ALICE, 2, Request.Acquire.lock("y", 0, 30)), op(ALICE, 3, Request.Acquire.lock("z", 0, 30))));
                r.apply(1, entry(11 * S, 2, op(BOB, 1, Request.Acquire.lock("z", 9, 30)),
                        op(carol, 1, Request.Acquire.lock("x", 9, 30))));
                r.apply(1, entry(12 * S, 3, new ClusterCommand.Disconnect(ALICE)));
            }
            assertThat(pair.get(1).out).isEqualTo(pair.get(0).out);
            List<Delivered> handOffs = pair.get(0).out.subList(3, 5);
            assertThat(handOffs).extracting(Delivered::session).containsExactly(carol, BOB);
        }
    }

    /** A node that comes back with a new incarnation drops its old sessions' waiters but not their locks. */
    @Test
    void aRestartedNodesOldSessionsKeepTheirLocksUntilTheLeasesEnd() {
        Replica r = new Replica();
        r.apply(1, entry(10 * S, 1, op(BOB, 1, Request.Acquire.lock("k", 0, 10))));
        SessionKey bobsNeighbour = new SessionKey(BOB.node(), BOB.incarnation(), 2);
        r.apply(1, entry(11 * S, 2, op(bobsNeighbour, 1, Request.Acquire.lock("k", 30, 10))));
        r.apply(1, entry(12 * S, 3, new ClusterCommand.NodeUp(BOB.node(), BOB.incarnation() + 1)));
        assertThat(r.locks.sessionCount()).isZero();
        r.apply(1, entry(13 * S, 4, op(ALICE, 1, Request.Acquire.lock("k", 0, 10))));
        assertThat(last(r)).extracting(Delivered::session, Delivered::kind).as("still held by Bob's token")
                .containsExactly(ALICE, Outcome.Kind.TIMEOUT);
        String token = r.out.get(0).token();
        r.apply(1, entry(14 * S, 5, op(ALICE, 2, new Request.Renew("k", token, 10, false))));
        assertThat(last(r).kind()).as("renewed by token from another node's session").isEqualTo(Outcome.Kind.RENEWED);
        r.apply(1, entry(23 * S + 999_000_000L, 6, op(ALICE, 3, Request.Acquire.lock("k", 0, 10))));
        assertThat(last(r).kind()).isEqualTo(Outcome.Kind.TIMEOUT);
        r.apply(1, entry(24 * S, 7, op(ALICE, 4, Request.Acquire.lock("k", 0, 10))));
        assertThat(last(r).kind()).as("free once the renewed lease ended; the dead waiter is gone")
                .isEqualTo(Outcome.Kind.GRANTED);
        assertThat(r.out).noneMatch(d -> d.session().equals(bobsNeighbour) && d.kind() == Outcome.Kind.GRANTED);
    }

    @Test
    void aBlockedPopSurvivesASnapshotRestoreAndAnOlderSnapshotFormatIsRefused() throws Exception {
        Replica r = new Replica();
        r.apply(1, entry(10 * S, 1, op(BOB, 1, new Request.ListPop("q", true, true, 5))));
        r.apply(1, entry(11 * S, 2, op(ALICE, 1, new Request.KvSet("k", "v", 2)),
                op(ALICE, 2, new Request.CounterOp(Command.INCR, "n", 3))));
        r.restart();
        r.apply(1, entry(12 * S, 3, op(ALICE, 3, new Request.ListPush("q", "item", false))));
        assertThat(r.out).extracting(Delivered::session, Delivered::kind, Delivered::text).endsWith(
                tuple(BOB, Outcome.Kind.VALUE, "item"),
                tuple(ALICE, Outcome.Kind.NUMBER, null));
        r.apply(1, entry(13 * S, 4, op(ALICE, 4, new Request.KvGet("k")),
                op(ALICE, 5, new Request.CounterOp(Command.GET, "n", 0))));
        assertThat(r.out.subList(r.out.size() - 2, r.out.size())).extracting(Delivered::kind, Delivered::seconds)
                .as("the entry expired at 13 s on replicated time").containsExactly(
                        tuple(Outcome.Kind.NIL, 0L),
                        tuple(Outcome.Kind.NUMBER, 3L));

        byte[] older = r.snapshot();
        older[3] = 3; // the format int, big-endian: format 3, written before the data store existed
        assertThatThrownBy(() -> ReplicatedLocks.readSnapshot(Replica.SETTINGS,
                LockEvents.NONE, Replica.ORPHAN_TTL,
                new DataInputStream(new ByteArrayInputStream(older))))
                .isInstanceOf(IOException.class)
                .hasMessage("unknown snapshot format 3: this server reads format 5 (a version before counters, "
                        + "key-value entries and lists wrote it)");
        older[3] = 4;
        assertThatThrownBy(() -> ReplicatedLocks.readSnapshot(Replica.SETTINGS,
                LockEvents.NONE, Replica.ORPHAN_TTL,
                new DataInputStream(new ByteArrayInputStream(older))))
                .hasMessage("unknown snapshot format 4: this server reads format 5 (a version that dropped an "
                        + "orphan's barrier party wrote it)");
    }

    private static ClusterCommand op(SessionKey s, long seq, Request r) {
        return new ClusterCommand.Op(s, seq, r);
    }

    private static Delivered last(Replica r) {
        return r.out.get(r.out.size() - 1);
    }
}
