package io.dflockd.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.LockKind;
import io.dflockd.protocol.Request;
import io.dflockd.server.lock.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stable references and orphans in the replicated state (CLUSTER-DESIGN.md §3.5): a client whose
 * session is demonstrably gone keeps its FIFO place and its slots for {@code --orphan-ttl} (4 s here)
 * and gets them back through a new session; an orphan nobody takes over ends exactly at its TTL; a
 * live session's reference is never taken over. Every scenario runs on two replicas, one of them
 * restored from its own snapshot before every entry: equal outcomes, byte-identical snapshots.
 */
class StableRefsTest {
    private static final long S = ReplicaPair.S;
    private static final SessionKey HOLDER = new SessionKey("n1", 7, 1);
    /** The client "worker-1", first through node n2. */
    private static final SessionKey FIRST = new SessionKey("n2", 9, 1);
    private static final SessionKey BEHIND = new SessionKey("n1", 7, 2);
    /** The same client "worker-1" again, through node n3. */
    private static final SessionKey AGAIN = new SessionKey("n3", 5, 1);
    private static final String REF = "worker-1";

    private final ReplicaPair pair = new ReplicaPair();

    private void apply(long stampSeconds, ClusterCommand... commands) {
        pair.apply(stampSeconds, commands);
    }

    private void applyAt(long stampNanos, ClusterCommand... commands) {
        pair.applyAt(stampNanos, commands);
    }

    private static ClusterCommand op(SessionKey s, long seq, Request r) {
        return ReplicaPair.op(s, seq, r);
    }

    private List<Delivered> of(SessionKey s) {
        return pair.of(s);
    }

    private Delivered last(SessionKey s) {
        return pair.last(s);
    }

    /** HOLDER holds k; the client waits behind it (with a ref), BEHIND waits behind the client. */
    private String queueUp() {
        apply(10, op(HOLDER, 1, Request.Acquire.lock("k", 0, 30)));
        apply(11, new ClusterCommand.BindRef(FIRST, REF), op(FIRST, 1, Request.Acquire.lock("k", 60, 30)));
        apply(12, op(BEHIND, 1, Request.Acquire.lock("k", 60, 30)));
        assertThat(of(FIRST)).isEmpty();
        return of(HOLDER).get(0).token();
    }

    @Test
    void aClientThatClosedGracefullyGetsItsQueuePlaceBackThroughAnotherNode() {
        String token = queueUp();
        apply(13, new ClusterCommand.Disconnect(FIRST));
        apply(14, new ClusterCommand.BindRef(AGAIN, REF), op(AGAIN, 1, Request.Acquire.lock("k", 60, 30)));
        assertThat(of(AGAIN)).as("re-attached: still waiting in its old place").isEmpty();
        apply(15, op(HOLDER, 2, new Request.Release("k", token, false)));
        assertThat(last(AGAIN)).extracting(Delivered::seq, Delivered::kind).containsExactly(1L, Outcome.Kind.GRANTED);
        assertThat(of(BEHIND)).as("the waiter behind it is still behind it").isEmpty();
    }

    /** A place answers the re-sent request of its own type and side only (PROTOCOL.md §6.13, §6.14). */
    @Test
    void aReadPlaceAnswersAReadNotAWrite() {
        apply(10, new ClusterCommand.BindRef(FIRST, REF), op(FIRST, 1, Request.Acquire.readWrite(LockKind.READ, "rw", 0, 30)),
                op(FIRST, 2, Request.Acquire.readWrite(LockKind.READ, "rw2", 0, 30)));
        String read = of(FIRST).get(0).token();
        apply(11, new ClusterCommand.Disconnect(FIRST));
        apply(12, new ClusterCommand.BindRef(AGAIN, REF), op(AGAIN, 1, Request.Acquire.readWrite(LockKind.READ, "rw", 0, 30)));
        assertThat(last(AGAIN)).extracting(Delivered::kind, Delivered::token).containsExactly(Outcome.Kind.GRANTED, read);
        apply(13, op(AGAIN, 2, Request.Acquire.readWrite(LockKind.WRITE, "rw2", 0, 30)));
        assertThat(last(AGAIN).kind()).as("not answered from the read place, which still holds").isEqualTo(Outcome.Kind.TIMEOUT);
        apply(14, op(AGAIN, 3, Request.Acquire.lock("rw2", 0, 30)));
        assertThat(last(AGAIN).kind()).isEqualTo(Outcome.Kind.TYPE_MISMATCH);
    }

    /**
     * The client's node dies; the client reconnects elsewhere and re-sends its {@code l} before the
     * cluster knows the node is gone, so that call first queues at the back. When the NodeGone entry
     * comes, the call moves to the client's old place, ahead of BEHIND.
     */
    @Test
    void aClientWhoseNodeIsGoneKeepsItsPlaceEvenIfItReSentBeforeTheNodeWasDeclaredGone() {
        String token = queueUp();
        apply(13, new ClusterCommand.BindRef(AGAIN, REF), op(AGAIN, 1, Request.Acquire.lock("k", 60, 30)));
        apply(14, op(HOLDER, 2, new Request.Renew("k", token, 30, false)));
        apply(20, new ClusterCommand.NodeGone(FIRST.node(), FIRST.incarnation()));
        apply(21, op(FIRST, 2, Request.Acquire.lock("x", 0, 30)));
        assertThat(last(FIRST).kind()).as("nothing of a gone process applies").isEqualTo(Outcome.Kind.UNAVAILABLE);
        apply(22, op(HOLDER, 3, new Request.Release("k", token, false)));
        assertThat(last(AGAIN)).extracting(Delivered::seq, Delivered::kind).containsExactly(1L, Outcome.Kind.GRANTED);
        assertThat(of(BEHIND)).isEmpty();
        apply(23, op(AGAIN, 2, new Request.Release("k", last(AGAIN).token(), false)));
        assertThat(last(BEHIND).kind()).isEqualTo(Outcome.Kind.GRANTED);
    }

    /** Granted while orphaned (holding for its lease, unanswered): the re-sent l answers with that same grant. */
    @Test
    void aPlaceGrantedWhileOrphanedIsAnsweredWithItsTokenAndARenewedLease() {
        String token = queueUp();
        apply(13, new ClusterCommand.NodeUp(FIRST.node(), FIRST.incarnation() + 2));
        apply(14, op(HOLDER, 2, new Request.Release("k", token, false)));
        Delivered toTheDead = last(FIRST);
        assertThat(toTheDead.kind()).as("granted to a session no node hosts any more").isEqualTo(Outcome.Kind.GRANTED);
        apply(16, new ClusterCommand.BindRef(AGAIN, REF), op(AGAIN, 1, Request.Acquire.lock("k", 60, 30)));
        assertThat(last(AGAIN)).extracting(Delivered::kind, Delivered::token)
                .containsExactly(Outcome.Kind.GRANTED, toTheDead.token());
        apply(45, op(HOLDER, 3, Request.Acquire.lock("k", 0, 30)));
        assertThat(last(HOLDER).kind()).as("the lease was renewed at 16 s: held until 46 s").isEqualTo(Outcome.Kind.TIMEOUT);
        assertThat(of(BEHIND)).isEmpty();
        apply(46, new ClusterCommand.Tick());
        assertThat(last(BEHIND).kind()).as("at 46 s the lease ended and BEHIND got k").isEqualTo(Outcome.Kind.GRANTED);
    }

    /** Nobody re-attaches: at exactly disconnect + 4 s the deferred cleanup runs (auto-release hands k on). */
    @Test
    void anOrphanNobodyTakesOverIsRetiredExactlyAtItsTtl() {
        String token = queueUp();
        apply(13, new ClusterCommand.Disconnect(FIRST));
        apply(14, op(HOLDER, 2, new Request.Release("k", token, false)));
        assertThat(of(BEHIND)).as("the orphan was next: it holds k now").isEmpty();
        applyAt(17 * S - 1, new ClusterCommand.Tick());
        assertThat(of(BEHIND)).isEmpty();
        applyAt(17 * S, new ClusterCommand.Tick());
        assertThat(last(BEHIND).kind()).as("retired at 13 s + 4 s").isEqualTo(Outcome.Kind.GRANTED);
        apply(18, new ClusterCommand.BindRef(AGAIN, REF), op(AGAIN, 1, Request.Acquire.lock("k", 0, 30)));
        assertThat(last(AGAIN).kind()).as("too late: nothing left to re-attach to").isEqualTo(Outcome.Kind.TIMEOUT);
    }

    /** A second session naming a live session's reference only queues like anyone else. */
    @Test
    void aLiveSessionsReferenceIsNeverTakenOver() {
        apply(10, new ClusterCommand.BindRef(FIRST, REF), op(FIRST, 1, Request.Acquire.lock("k", 0, 30)));
        String token = last(FIRST).token();
        apply(11, new ClusterCommand.BindRef(AGAIN, REF), op(AGAIN, 1, Request.Acquire.lock("k", 0, 30)));
        assertThat(last(AGAIN).kind()).isEqualTo(Outcome.Kind.TIMEOUT);
        apply(12, op(AGAIN, 2, Request.Enqueue.lock("k", 30)));
        assertThat(last(AGAIN).kind()).isEqualTo(Outcome.Kind.QUEUED);
        apply(13, op(FIRST, 2, new Request.Renew("k", token, 30, false)));
        assertThat(last(FIRST).kind()).as("still FIRST's").isEqualTo(Outcome.Kind.RENEWED);
        apply(14, new ClusterCommand.Disconnect(FIRST));
        apply(15, op(AGAIN, 3, new Request.Wait("k", 0, false)));
        assertThat(last(AGAIN).kind()).as("AGAIN held its own record: FIRST's slot was not merged into it")
                .isEqualTo(Outcome.Kind.TIMEOUT);
    }

    /** Two-phase: the orphan's queued record answers the re-sent e with queued, and w collects its grant. */
    @Test
    void aTwoPhaseRecordIsReAttachedByTheReSentEnqueue() {
        apply(10, op(HOLDER, 1, Request.Acquire.lock("k", 0, 30)));
        String token = last(HOLDER).token();
        apply(11, new ClusterCommand.BindRef(FIRST, REF), op(FIRST, 1, Request.Enqueue.lock("k", 30)));
        apply(12, op(BEHIND, 1, Request.Enqueue.lock("k", 30)));
        apply(13, new ClusterCommand.Abandon(FIRST));
        apply(14, new ClusterCommand.BindRef(AGAIN, REF), op(AGAIN, 1, Request.Enqueue.lock("k", 30)));
        assertThat(last(AGAIN).kind()).isEqualTo(Outcome.Kind.QUEUED);
        apply(15, op(HOLDER, 2, new Request.Release("k", token, false)), op(AGAIN, 2, new Request.Wait("k", 5, false)));
        assertThat(last(AGAIN).kind()).isEqualTo(Outcome.Kind.GRANTED);
        apply(16, op(BEHIND, 2, new Request.Wait("k", 0, false)));
        assertThat(last(BEHIND).kind()).isEqualTo(Outcome.Kind.TIMEOUT);
    }
}
