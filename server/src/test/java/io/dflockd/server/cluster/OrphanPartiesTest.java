package io.dflockd.server.cluster;

import static io.dflockd.server.cluster.ReplicaPair.op;
import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.Request;
import io.dflockd.server.lock.Outcome;
import org.junit.jupiter.api.Test;

/**
 * An orphan's barrier party and election wait (CLUSTER-DESIGN.md §3.5): a client with a stable
 * reference whose session ends while it waits in {@code bwait} or {@code elect} keeps that place, and
 * the session that takes it over answers its re-sent request from it. A barrier of 3 must release
 * its 3 real parties at once, never 2 of them with the client counted twice, and never lose a trip
 * to the dead session. On two replicas, one restored from its snapshot before every entry.
 */
class OrphanPartiesTest {
    private static final SessionKey OTHER = new SessionKey("n1", 7, 1);
    /** The client "worker-1", first through node n2. */
    private static final SessionKey FIRST = new SessionKey("n2", 9, 1);
    private static final SessionKey THIRD = new SessionKey("n1", 7, 2);
    /** The same client "worker-1" again, through node n3. */
    private static final SessionKey AGAIN = new SessionKey("n3", 5, 1);
    private static final String REF = "worker-1";

    private final ReplicaPair pair = new ReplicaPair();

    private static ClusterCommand bwait(SessionKey s, long seq) {
        return op(s, seq, new Request.BarrierWait("k", 3, 60));
    }

    /** The client and OTHER wait at the barrier "k" of 3. */
    private void twoPartiesWait() {
        pair.apply(10, new ClusterCommand.BindRef(FIRST, REF), bwait(FIRST, 1));
        pair.apply(11, bwait(OTHER, 1));
        assertThat(pair.of(FIRST)).isEmpty();
    }

    @Test
    void aBarrierThatTripsWhileItsPartyIsOrphanedAnswersTheReSentBwaitOk() {
        twoPartiesWait();
        pair.apply(12, new ClusterCommand.Disconnect(FIRST));
        assertThat(pair.of(OTHER)).as("the orphan's party stays: the barrier is not broken").isEmpty();
        pair.apply(13, bwait(THIRD, 1));
        assertThat(pair.last(THIRD).kind()).isEqualTo(Outcome.Kind.DONE);
        assertThat(pair.last(OTHER).kind()).isEqualTo(Outcome.Kind.DONE);
        pair.apply(14, new ClusterCommand.BindRef(AGAIN, REF), bwait(AGAIN, 1));
        assertThat(pair.last(AGAIN)).as("the trip is the client's: not lost to the dead session")
                .extracting(Delivered::seq, Delivered::kind).containsExactly(1L, Outcome.Kind.DONE);
        pair.apply(15, bwait(AGAIN, 2));
        assertThat(pair.of(AGAIN)).as("answered once: the next bwait waits at a new round").hasSize(1);
    }

    /** The kept trip answers a re-send, not a bwait of a later round: it is kept for --orphan-ttl (4 s). */
    @Test
    void aKeptTripIsForgottenAfterTheOrphanTtl() {
        twoPartiesWait();
        pair.apply(12, new ClusterCommand.Disconnect(FIRST));
        pair.apply(13, new ClusterCommand.BindRef(AGAIN, REF), bwait(THIRD, 1));
        assertThat(pair.last(OTHER).kind()).isEqualTo(Outcome.Kind.DONE);
        pair.apply(17, bwait(AGAIN, 1));
        assertThat(pair.of(AGAIN)).as("13 s + 4 s: a new round, where it waits").isEmpty();
    }

    @Test
    void aReSentBwaitTakesTheOrphansPlaceSoTheClientIsCountedOnce() {
        twoPartiesWait();
        pair.apply(12, new ClusterCommand.Disconnect(FIRST));
        pair.apply(13, new ClusterCommand.BindRef(AGAIN, REF), bwait(AGAIN, 1));
        assertThat(pair.of(AGAIN)).as("2 parties of 3: no release yet").isEmpty();
        assertThat(pair.of(OTHER)).isEmpty();
        pair.apply(14, bwait(THIRD, 1));
        assertThat(pair.last(AGAIN)).extracting(Delivered::seq, Delivered::kind).containsExactly(1L, Outcome.Kind.DONE);
        assertThat(pair.last(OTHER).kind()).isEqualTo(Outcome.Kind.DONE);
        assertThat(pair.last(THIRD).kind()).isEqualTo(Outcome.Kind.DONE);
    }

    /**
     * The client's node dies; the client re-sends its bwait through n3 before the cluster knows: the
     * same client must not be counted as a second party (an early release with THIRD missing).
     */
    @Test
    void aBwaitReSentBeforeTheOldSessionIsKnownGoneIsNotASecondParty() {
        twoPartiesWait();
        pair.apply(12, new ClusterCommand.BindRef(AGAIN, REF), bwait(AGAIN, 1));
        assertThat(pair.of(OTHER)).as("2 real parties of 3: no release").isEmpty();
        assertThat(pair.of(AGAIN)).isEmpty();
        pair.apply(20, new ClusterCommand.NodeGone(FIRST.node(), FIRST.incarnation()));
        assertThat(pair.of(OTHER)).isEmpty();
        pair.apply(21, bwait(THIRD, 1));
        assertThat(pair.last(AGAIN)).extracting(Delivered::seq, Delivered::kind).containsExactly(1L, Outcome.Kind.DONE);
        assertThat(pair.last(OTHER).kind()).isEqualTo(Outcome.Kind.DONE);
    }

    /**
     * The client's node dies and the barrier trips before the client's re-sent bwait (through n3)
     * arrives, and before the cluster knows the node is gone: the trip was answered to the dead
     * session, and the re-send is answered ok from it instead of waiting at a new round.
     */
    @Test
    void aTripAnsweredToASessionWhoseNodeDiedIsNotLostToTheClientsReSend() {
        twoPartiesWait();
        pair.apply(12, bwait(THIRD, 1));
        assertThat(pair.last(FIRST).kind()).as("told to a node that is dead").isEqualTo(Outcome.Kind.DONE);
        pair.apply(13, new ClusterCommand.BindRef(AGAIN, REF), bwait(AGAIN, 1));
        assertThat(pair.last(AGAIN)).extracting(Delivered::seq, Delivered::kind).containsExactly(1L, Outcome.Kind.DONE);
        pair.apply(14, bwait(FIRST, 2));
        assertThat(pair.of(FIRST)).as("the session that was told waits at a new round").hasSize(1);
    }

    /** Nobody takes the orphan over: at its TTL (4 s) its party leaves, which breaks the barrier. */
    @Test
    void anOrphanedPartyNobodyTakesOverBreaksTheBarrierAtItsTtl() {
        twoPartiesWait();
        pair.apply(12, new ClusterCommand.Disconnect(FIRST));
        pair.applyAt(16 * ReplicaPair.S - 1, new ClusterCommand.Tick());
        assertThat(pair.of(OTHER)).isEmpty();
        pair.apply(16, new ClusterCommand.Tick());
        assertThat(pair.last(OTHER).kind()).isEqualTo(Outcome.Kind.TIMEOUT);
    }

    /** The client waits in the election behind OTHER, its node dies, it re-sends elect elsewhere. */
    @Test
    void aReSentElectWaitsOnInTheOrphansPlaceAndIsElectedFromIt() {
        pair.apply(10, op(OTHER, 1, new Request.Elect("a", 0, 30)));
        String leader = pair.last(OTHER).token();
        pair.apply(11, new ClusterCommand.BindRef(FIRST, REF), op(FIRST, 1, new Request.Elect("a", 60, 30)));
        pair.apply(12, op(THIRD, 1, new Request.Elect("a", 60, 30)));
        pair.apply(13, new ClusterCommand.NodeUp(FIRST.node(), FIRST.incarnation() + 2));
        pair.apply(14, new ClusterCommand.BindRef(AGAIN, REF), op(AGAIN, 1, new Request.Elect("a", 60, 30)));
        assertThat(pair.of(AGAIN)).isEmpty();
        int pushed = pair.a.pushes.size();
        pair.apply(15, op(OTHER, 2, new Request.Resign("a", leader)));
        assertThat(pair.last(AGAIN)).as("elected in its old place, ahead of THIRD")
                .extracting(Delivered::seq, Delivered::kind).containsExactly(1L, Outcome.Kind.GRANTED);
        assertThat(pair.of(THIRD)).isEmpty();
        assertThat(pair.a.pushes.subList(pushed, pair.a.pushes.size()))
                .containsExactly("watch resign a", "leader resigned a", "leader failover a", "watch elect a");
    }

    /** Elected while orphaned (holding, unanswered): the re-sent elect answers with that term's token, no new events. */
    @Test
    void aReSentElectAfterAnOrphanedElectionIsAnsweredWithItsTermsToken() {
        pair.apply(10, op(OTHER, 1, new Request.Elect("a", 0, 30)));
        String leader = pair.last(OTHER).token();
        pair.apply(11, new ClusterCommand.BindRef(FIRST, REF), op(FIRST, 1, new Request.Elect("a", 60, 30)));
        pair.apply(12, new ClusterCommand.Disconnect(FIRST));
        pair.apply(13, op(OTHER, 2, new Request.Resign("a", leader)));
        Delivered toTheDead = pair.last(FIRST);
        assertThat(toTheDead.kind()).isEqualTo(Outcome.Kind.GRANTED);
        int pushed = pair.a.pushes.size();
        pair.apply(14, new ClusterCommand.BindRef(AGAIN, REF), op(AGAIN, 1, new Request.Elect("a", 60, 30)));
        assertThat(pair.last(AGAIN)).extracting(Delivered::kind, Delivered::token)
                .containsExactly(Outcome.Kind.GRANTED, toTheDead.token());
        assertThat(pair.a.pushes).as("the term did not change: nothing to tell").hasSize(pushed);
    }
}
