package io.dflockd.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.LockKind;
import io.dflockd.protocol.Request;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockSettings;
import io.dflockd.server.lock.Outcome;
import io.dflockd.testing.FreePort;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Ratis nodes in this JVM on loopback, real gRPC between them: a lock held and a waiter queued
 * through the followers survive the loss of the leader; the new leader keeps the lease, hands the
 * lock over in order with a larger fence, and expires leases on replicated time.
 */
@Tag("integration")
class ClusterNodeTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final long SNAPSHOT_EVERY = 40;
    private final List<ClusterNode> nodes = new ArrayList<>();

    @TempDir
    Path dir;

    /** Outcomes of one session, in arrival order. */
    private static final class Inbox implements ClusterNode.SessionSink {
        final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

        @Override
        public void outcome(long seq, Outcome outcome) {
            outcomes.add(outcome);
        }

        Outcome next() throws InterruptedException {
            Outcome o = outcomes.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(o).as("an outcome within %s", PATIENCE).isNotNull();
            return o;
        }
    }

    @AfterEach
    void stop() throws IOException {
        for (ClusterNode n : nodes) {
            n.close();
        }
    }

    private final List<ClusterPeer> peers = new ArrayList<>();
    /** {@code --orphan-ttl} and {@code --node-gone-timeout} of the nodes a test starts (null: the default). */
    private Duration orphanTtl = Duration.ZERO;
    private Duration nodeGoneTimeout;

    private void startThree() throws IOException {
        for (int i = 1; i <= 3; i++) {
            peers.add(new ClusterPeer("n" + i, "127.0.0.1:" + FreePort.pick(), "127.0.0.1:" + (6400 + i)));
        }
        for (ClusterPeer p : peers) {
            nodes.add(startNode(p.id()));
        }
    }

    private ClusterNode startNode(String id) throws IOException {
        return ClusterNode.start(new ClusterConfig(id, peers, dir.resolve(id), null)
                        .withStableRefs(orphanTtl, nodeGoneTimeout),
                new LockSettings(1024, 0, 33, 0, true), LockEvents.NONE, 1, SNAPSHOT_EVERY);
    }

    private ClusterNode awaitLeader() {
        return Awaitility.await().atMost(PATIENCE).until(
                () -> nodes.stream().filter(ClusterNode::isLeader).findFirst().orElse(null), n -> n != null);
    }

    @Test
    void aHeldLockAndAQueuedWaiterSurviveTheLossOfTheLeader() throws Exception {
        startThree();
        ClusterNode leader = awaitLeader();
        List<ClusterNode> followers = new ArrayList<>(nodes);
        followers.remove(leader);

        Inbox holder = new Inbox();
        ClusterSession holding = followers.get(0).open(1, holder);
        holding.submit(Request.Acquire.lock("k", 0, 30));
        Outcome granted = holder.next();
        assertThat(granted.kind()).isEqualTo(Outcome.Kind.GRANTED);

        Inbox waiter = new Inbox();
        ClusterSession waiting = followers.get(1).open(1, waiter);
        waiting.submit(Request.Acquire.lock("k", 60, 30));
        Inbox prober = new Inbox();
        ClusterSession probing = followers.get(1).open(2, prober);
        probing.submit(Request.Acquire.lock("k", 0, 30));
        assertThat(prober.next().kind()).as("held: a try-lock times out").isEqualTo(Outcome.Kind.TIMEOUT);
        assertThat(waiter.outcomes).as("the waiter still waits").isEmpty();

        leader.close();
        nodes.remove(leader);
        awaitLeader();

        holding.submit(new Request.Renew("k", granted.token(), 30, false));
        assertThat(holder.next().kind()).as("the lease survived the failover").isEqualTo(Outcome.Kind.RENEWED);
        holding.submit(new Request.Release("k", granted.token(), false));
        assertThat(holder.next().kind()).isEqualTo(Outcome.Kind.RELEASED);
        Outcome handedOver = waiter.next();
        assertThat(handedOver.kind()).isEqualTo(Outcome.Kind.GRANTED);
        assertThat(handedOver.holder().fence()).isGreaterThan(granted.holder().fence());
    }

    /**
     * With a snapshot every 40 entries and the log purged behind it: a restarted node loads its
     * snapshot, and a node whose directory was wiped is caught up by the leader's snapshot, each
     * with the lock that was held all along (same token, same fence).
     */
    @Test
    void snapshotsRestoreARestartedNodeAndCatchUpAWipedOne() throws Exception {
        startThree();
        ClusterNode leader = awaitLeader();
        Inbox holder = new Inbox();
        leader.open(1, holder).submit(Request.Acquire.lock("held", 0, 600));
        Outcome held = holder.next();
        assertThat(held.kind()).isEqualTo(Outcome.Kind.GRANTED);
        Inbox churn = new Inbox();
        ClusterSession churning = leader.open(2, churn);
        for (int i = 0; i < 100; i++) { // 200 entries: five snapshots' worth
            churning.submit(Request.Acquire.lock("churn", 0, 5));
            Outcome o = churn.next();
            churning.submit(new Request.Release("churn", o.token(), false));
            assertThat(churn.next().kind()).isEqualTo(Outcome.Kind.RELEASED);
        }
        List<ClusterNode> followers = new ArrayList<>(nodes);
        followers.remove(leader);

        ClusterNode restarted = followers.get(0);
        restarted.close();
        nodes.remove(restarted);
        nodes.add(startNode(restarted.nodeId()));

        ClusterNode wiped = followers.get(1);
        wiped.close();
        nodes.remove(wiped);
        deleteTree(dir.resolve(wiped.nodeId()));
        nodes.add(startNode(wiped.nodeId()));

        for (ClusterNode n : nodes) {
            Awaitility.await().atMost(PATIENCE).until(() -> n.snapshot().stream()
                    .anyMatch(r -> r.key().equals("held") && r.holders() == 1 && r.ownerConnId() > 0));
        }
        try (var files = java.nio.file.Files.walk(dir.resolve(wiped.nodeId()))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("the wiped node got the leader's snapshot (the log before it was purged)")
                    .anyMatch(name -> name.startsWith("snapshot.") && !name.endsWith(".md5"));
        }
        // The holder's lease is the same grant everywhere: renewing it works through any leader.
        Inbox after = new Inbox();
        awaitLeader().open(3, after).submit(new Request.Renew("held", held.token(), 600, false));
        assertThat(after.next().kind()).isEqualTo(Outcome.Kind.RENEWED);
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = java.nio.file.Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(p);
            }
        }
    }

    @Test
    void idleKeysAreCollectedOnEveryReplica() throws Exception {
        startThree();
        ClusterNode leader = awaitLeader();
        Inbox inbox = new Inbox();
        ClusterSession s = leader.open(1, inbox);
        s.submit(Request.Acquire.lock("idle", 0, 5));
        Outcome granted = inbox.next();
        s.submit(new Request.Release("idle", granted.token(), false));
        assertThat(inbox.next().kind()).isEqualTo(Outcome.Kind.RELEASED);
        // --gc-max-idle 0, --gc-interval 1 s: the leader's next gc tick removes the key everywhere.
        Awaitility.await().atMost(PATIENCE).until(() -> nodes.stream().allMatch(n -> n.snapshot().isEmpty()));
    }

    @Test
    void aLeaseEndsOnReplicatedTimeAndTheNextWaiterGetsTheLock() throws Exception {
        startThree();
        ClusterNode leader = awaitLeader();
        Inbox first = new Inbox();
        leader.open(1, first).submit(Request.Acquire.lock("lease", 0, 1));
        assertThat(first.next().kind()).isEqualTo(Outcome.Kind.GRANTED);
        Inbox second = new Inbox();
        ClusterNode follower = nodes.get(nodes.get(0) == leader ? 1 : 0);
        long asked = System.nanoTime();
        follower.open(1, second).submit(Request.Acquire.lock("lease", 10, 5));
        Outcome o = second.next();
        assertThat(o.kind()).as("granted once the 1 s lease ran out, before the 10 s wait did")
                .isEqualTo(Outcome.Kind.GRANTED);
        assertThat(System.nanoTime() - asked).isLessThan(Duration.ofSeconds(9).toNanos());
    }

    /**
     * CLUSTER-DESIGN.md §3.5: a client waiting through a follower that dies reconnects through another
     * node with its stable reference and re-sends its {@code l} at once, before the leader declares
     * the dead node gone (after 3 s here). When it does, the client's call takes its old queue place:
     * it is granted before the waiter that queued behind it while its first node was alive.
     */
    @Test
    void aWaiterWhoseNodeDiesKeepsItsQueuePlaceThroughAnotherNode() throws Exception {
        orphanTtl = Duration.ofSeconds(30);
        nodeGoneTimeout = Duration.ofSeconds(3);
        startThree();
        ClusterNode leader = awaitLeader();
        List<ClusterNode> followers = new ArrayList<>(nodes);
        followers.remove(leader);
        ClusterNode doomed = followers.get(0);
        ClusterNode survivor = followers.get(1);

        Inbox holder = new Inbox();
        ClusterSession holding = leader.open(1, holder);
        holding.submit(Request.Acquire.lock("k", 0, 60));
        Outcome held = holder.next();
        Inbox client = new Inbox();
        ClusterSession first = doomed.open(1, client);
        assertThat(first.bindRef("worker-1")).isTrue();
        assertThat(first.bindRef("worker-1")).as("one reference per session").isFalse();
        first.submit(Request.Acquire.lock("k", 60, 60));
        awaitWaiters(1);
        Inbox behind = new Inbox();
        survivor.open(1, behind).submit(Request.Acquire.lock("k", 60, 60));
        awaitWaiters(2);

        doomed.close();
        nodes.remove(doomed);
        ClusterSession again = survivor.open(2, client);
        again.bindRef("worker-1");
        again.submit(Request.Acquire.lock("k", 60, 60));
        awaitWaiters(3);
        // The leader declares the node gone: the re-sent call moves onto the old place (one waiter fewer).
        awaitWaiters(2);

        holding.submit(new Request.Release("k", held.token(), false));
        assertThat(holder.next().kind()).isEqualTo(Outcome.Kind.RELEASED);
        Outcome regained = client.next();
        assertThat(regained.kind()).isEqualTo(Outcome.Kind.GRANTED);
        assertThat(behind.outcomes).as("the waiter behind it is still behind it").isEmpty();
        again.submit(new Request.Release("k", regained.token(), false));
        assertThat(client.next().kind()).isEqualTo(Outcome.Kind.RELEASED);
        assertThat(behind.next().kind()).isEqualTo(Outcome.Kind.GRANTED);
    }

    /**
     * A read-write lock through three nodes (PROTOCOL.md §6.14): readers on two nodes hold together, a
     * writer on the third waits (and holds back a later reader), then is granted with a larger fence
     * once both readers released; every replica agrees on who holds it.
     */
    @Test
    void readersOnTwoNodesShareAndAWriterOnTheThirdWaitsForBoth() throws Exception {
        startThree();
        awaitLeader();
        Inbox reader1 = new Inbox();
        ClusterSession reading1 = nodes.get(0).open(1, reader1);
        reading1.submit(Request.Acquire.readWrite(LockKind.READ, "k", 0, 30));
        Outcome read1 = reader1.next();
        Inbox reader2 = new Inbox();
        ClusterSession reading2 = nodes.get(1).open(1, reader2);
        reading2.submit(Request.Acquire.readWrite(LockKind.READ, "k", 0, 30));
        Outcome read2 = reader2.next();
        assertThat(read1.kind()).isEqualTo(Outcome.Kind.GRANTED);
        assertThat(read2.kind()).as("readers share").isEqualTo(Outcome.Kind.GRANTED);

        Inbox writer = new Inbox();
        nodes.get(2).open(1, writer).submit(Request.Acquire.readWrite(LockKind.WRITE, "k", 60, 30));
        awaitWaiters(1);
        assertThat(writer.outcomes).as("the writer waits for the readers").isEmpty();
        Inbox late = new Inbox();
        nodes.get(0).open(2, late).submit(Request.Acquire.readWrite(LockKind.READ, "k", 0, 30));
        assertThat(late.next().kind()).as("a queued writer holds back a later reader").isEqualTo(Outcome.Kind.TIMEOUT);

        reading1.submit(new Request.Release("k", read1.token(), LockKind.READ));
        assertThat(reader1.next().kind()).isEqualTo(Outcome.Kind.RELEASED);
        reading2.submit(new Request.Release("k", read2.token(), LockKind.READ));
        assertThat(reader2.next().kind()).isEqualTo(Outcome.Kind.RELEASED);
        Outcome written = writer.next();
        assertThat(written.kind()).isEqualTo(Outcome.Kind.GRANTED);
        assertThat(written.holder().fence()).isGreaterThan(Math.max(read1.holder().fence(), read2.holder().fence()));
        for (ClusterNode node : nodes) {
            Awaitility.await().atMost(PATIENCE).until(() -> node.snapshot().stream()
                    .anyMatch(r -> r.key().equals("k") && r.readWrite() && r.writer() && r.readers() == 0));
        }
    }

    /** Waits until every live node's replica shows {@code n} waiters queued on key k. */
    private void awaitWaiters(int n) {
        for (ClusterNode node : nodes) {
            Awaitility.await().atMost(PATIENCE).until(() -> node.snapshot().stream()
                    .anyMatch(r -> r.key().equals("k") && r.waiters() == n));
        }
    }
}
