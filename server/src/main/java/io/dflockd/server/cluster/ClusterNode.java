package io.dflockd.server.cluster;

import io.dflockd.protocol.Reply;
import io.dflockd.protocol.Request;
import io.dflockd.server.lock.LockBackend;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockSettings;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.ResourceSnapshot;
import io.dflockd.server.time.SystemClocks;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * One dflockd cluster node: a Ratis server whose state machine is the replicated lock state, a
 * RaftClient through which this node proposes its sessions' commands to whoever leads (Ratis keeps
 * one client's requests in order across retries and leader changes, CLUSTER-DESIGN.md §1.5), and,
 * while this node leads, a ticker that proposes a {@link ClusterCommand.Tick} when a lease or wait
 * timer is due, since replicated time only moves with entries.
 *
 * <p>Outcomes reach a session through the {@link SessionSink} it registered, on the apply thread,
 * after the entry that decided them is committed and applied here.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = System.getLogger(ClusterNode.class.getName());
    /** Receives the outcomes of one local session's requests, on Ratis's apply thread: must not block. */
    @FunctionalInterface
    public interface SessionSink {
        void outcome(long seq, Outcome outcome);

        /** The outcome of the session's pending request, if any, can no longer be known. */
        default void lost() {
        }
    }

    /** The one Raft group of a dflockd cluster (package-visible for tests that bring their own Ratis server). */
    static final RaftGroupId GROUP_ID =
            RaftGroupId.valueOf(UUID.nameUUIDFromBytes("dflockd-cluster".getBytes(StandardCharsets.UTF_8)));
    private static final long TICK_PERIOD_MILLIS = 10;
    /** Entries between snapshots (CLUSTER-DESIGN.md §1.9). */
    public static final long DEFAULT_SNAPSHOT_EVERY = 20_000;
    /** How long a {@code barrier} may wait for a leader to confirm its read (Ratis's own read timeout is 10 s too). */
    private static final long BARRIER_TIMEOUT_SECONDS = 10;

    private final String nodeId;
    private final RaftPeerId peerId;
    /** Client addresses by node id, from {@code --cluster-peers}. */
    private final Map<String, String> clientAddresses = new HashMap<>();
    /** This process's incarnation: drawn at start, drawn anew if the cluster declared it gone. */
    private volatile long incarnation;
    /** Every incarnation this process ran as: its older sessions are still answered (error) until they close. */
    private final Set<Long> incarnations = new CopyOnWriteArraySet<>();
    private final Map<Long, SessionSink> sessions = new ConcurrentHashMap<>();
    private final LockStateMachine machine;
    /** The members {@code --cluster-peers} lists: where this node's client sends its proposals first. */
    private final RaftGroup flagPeers;
    private final ClusterMembership membership;
    private final RaftServer server;
    private final RaftClient client;
    private final ScheduledExecutorService ticker;
    private final Proposer proposer;
    private final AtomicBoolean tickInFlight = new AtomicBoolean();
    private final long requestTimeoutMillis;
    private final FollowerMode followerMode;
    private volatile boolean stopping;
    private final long gcIntervalNanos;
    private final LongSupplier monotonicNanos;
    /** When this node (as leader) last proposed a tick for idle-key collection; ticker thread only. */
    private long lastGc;
    private final GoneNodeWatch goneNodes;
    private final LockBackend backend = new ClusterLockBackend(this);

    private ClusterNode(ClusterConfig config, LockSettings settings, LockEvents events, long gcIntervalNanos,
            long snapshotEvery, LongSupplier monotonicNanos) throws IOException {
        this.nodeId = config.nodeId();
        this.requestTimeoutMillis = config.requestTimeout().toMillis();
        this.followerMode = config.followerMode();
        this.peerId = RaftPeerId.valueOf(nodeId);
        config.peers().forEach(p -> clientAddresses.put(p.id(), p.clientAddress()));
        this.gcIntervalNanos = gcIntervalNanos;
        this.monotonicNanos = monotonicNanos;
        this.lastGc = monotonicNanos.getAsLong();
        this.incarnation = newIncarnation();
        this.goneNodes = new GoneNodeWatch(nodeId, config.nodeGoneTimeout() != null
                ? config.nodeGoneTimeout().toMillis() : TimeUnit.SECONDS.toMillis(2 * settings.defaultLeaseSeconds()),
                monotonicNanos, this::propose);
        this.machine = new LockStateMachine(settings, events, config.orphanTtl().toNanos(),
                new ReplicatedLocks.Deliveries() {
                    @Override
                    public void deliver(SessionKey session, long seq, Outcome outcome) {
                        ClusterNode.this.deliver(session, seq, outcome);
                    }

                    @Override
                    public void nodeGone(String node, long gone) {
                        declaredGone(node, gone);
                    }
                }, this::stateReplaced, monotonicNanos, SystemClocks::wallNanos);
        List<RaftPeer> raftPeers = new ArrayList<>();
        for (ClusterPeer p : config.peers()) {
            raftPeers.add(ClusterMembership.peer(p.id(), p.raftAddress(), p.clientAddress()));
        }
        this.flagPeers = RaftGroup.valueOf(GROUP_ID, raftPeers);
        // A joining node starts with an empty group and waits to be added (CLUSTER-DESIGN.md §1.6):
        // with the full list it could start elections before the members know it.
        RaftGroup group = config.join() ? RaftGroup.valueOf(GROUP_ID) : flagPeers;
        RaftProperties props = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(props, List.of(config.raftDir().toFile()));
        // Ratis's 150-300 ms election timeout makes leadership flap while JVMs warm up on a busy
        // machine; 500-1000 ms still fails over well inside the 3 s target.
        RaftServerConfigKeys.Rpc.setTimeoutMin(props, TimeDuration.valueOf(500, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(props, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
        // A snapshot every `snapshotEvery` entries; the log is purged up to it (keeping a tail for
        // followers that are only a little behind; one further behind gets the snapshot), so the
        // Raft directory stays bounded under a steady load.
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(props, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(props, snapshotEvery);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(props, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(props, true);
        RaftServerConfigKeys.Log.setPurgePreservationLogNum(props, Math.min(2000, snapshotEvery / 2));
        RaftServerConfigKeys.Log.setPurgeGap(props, (int) Math.min(1024, Math.max(1, snapshotEvery / 4)));
        // Purging frees closed segments only: a segment holds about one snapshot interval of entries
        // (~256 bytes each at most), capped at 8 MB.
        RaftServerConfigKeys.Log.setSegmentSizeMax(props,
                SizeInBytes.valueOf(Math.max(4096, Math.min(8L << 20, snapshotEvery * 256))));
        // Reads (only barrier's) go through ReadIndex: linearizable on any node (CLUSTER-DESIGN.md §1.4).
        RaftServerConfigKeys.Read.setOption(props, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        String raft = config.raftBind();
        GrpcConfigKeys.Server.setHost(props, raft.substring(0, raft.lastIndexOf(':')));
        GrpcConfigKeys.Server.setPort(props, Integer.parseInt(raft.substring(raft.lastIndexOf(':') + 1)));
        // The server, the client below and the admin side share these: all plaintext, or all mutual TLS.
        Parameters transport = config.tls() == null ? new Parameters()
                : config.tls().parameters(config.peers());
        this.server = RaftServer.newBuilder().setServerId(peerId).setGroup(group).setParameters(transport)
                .setProperties(props).setStateMachine(machine).setOption(RaftStorage.StartupOption.RECOVER).build();
        this.client = RaftClient.newBuilder().setRaftGroup(flagPeers).setProperties(new RaftProperties())
                .setParameters(transport)
                .setRetryPolicy(RetryPolicies.retryForeverWithSleep(TimeDuration.valueOf(20, TimeUnit.MILLISECONDS)))
                .build();
        this.membership = new ClusterMembership(nodeId, server, GROUP_ID, List.copyOf(flagPeers.getPeers()),
                transport);
        this.proposer = new Proposer("dflockd-cluster-proposer-" + nodeId,
                bytes -> client.async().send(Message.valueOf(ByteString.copyFrom(bytes))));
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dflockd-cluster-ticker-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts a node: its Raft server (formatting an empty {@code raftDir}, recovering a used one), the
     * ticker, and a {@link ClusterCommand.NodeUp} that ends the sessions of its earlier runs.
     *
     * @param gcIntervalSeconds how often the leader has idle keys collected ({@code --gc-interval})
     */
    public static ClusterNode start(ClusterConfig config, LockSettings settings, LockEvents events,
            long gcIntervalSeconds) throws IOException {
        return start(config, settings, events, gcIntervalSeconds, DEFAULT_SNAPSHOT_EVERY);
    }

    /** As {@link #start(ClusterConfig, LockSettings, LockEvents, long)}, with a snapshot every {@code snapshotEvery} entries. */
    public static ClusterNode start(ClusterConfig config, LockSettings settings, LockEvents events,
            long gcIntervalSeconds, long snapshotEvery) throws IOException {
        ClusterNode node = new ClusterNode(config, settings, events, TimeUnit.SECONDS.toNanos(gcIntervalSeconds),
                snapshotEvery, SystemClocks::monotonicNanos);
        node.server.start();
        node.propose(new ClusterCommand.NodeUp(node.nodeId, node.incarnation));
        node.ticker.scheduleWithFixedDelay(node::tickIfDue, TICK_PERIOD_MILLIS, TICK_PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
        return node;
    }

    private long newIncarnation() {
        long drawn = new SecureRandom().nextLong() | 1; // never 0, the replicated state's "gone"
        incarnations.add(drawn);
        return drawn;
    }

    /**
     * The cluster declared a node process gone (CLUSTER-DESIGN.md §2.6). If it is this one — it was
     * cut off from the leader longer than {@code --node-gone-timeout}, not dead — its sessions have
     * ended everywhere: their waiting requests are answered {@code error}, their later ones
     * {@code error} with the connection closed; new connections get a new incarnation, announced by a
     * {@link ClusterCommand.NodeUp}. Runs on the apply thread: must not block.
     */
    private void declaredGone(String node, long gone) {
        if (!node.equals(nodeId) || gone != incarnation) {
            return;
        }
        LOG.log(Level.WARNING, nodeId + ": the cluster declared this node gone (cut off longer than "
                + goneNodes.timeoutMillis() + " ms); its client sessions ended, new ones start afresh");
        incarnation = newIncarnation();
        propose(new ClusterCommand.NodeUp(nodeId, incarnation));
        sessions.values().forEach(SessionSink::lost);
    }

    /** Registers a local session (a client connection) under its node-local id. */
    public ClusterSession open(long localId, SessionSink sink) {
        if (sessions.putIfAbsent(localId, sink) != null) {
            throw new IllegalStateException("session " + localId + " is already open");
        }
        return new ClusterSession(this, new SessionKey(nodeId, incarnation, localId));
    }

    void closed(SessionKey session) {
        sessions.remove(session.localId());
        // A connection closed by this node's shutdown keeps its locks (their clients may renew them
        // through another node); one its client closed is cleaned up as on a standalone server. In
        // redirect mode a client leaves a node that stopped leading to follow the redirect: what it
        // got here while this node led stays held, and it renews that by token through the leader.
        boolean keep = stopping || followerMode == FollowerMode.REDIRECT && !isLeader();
        propose(keep ? new ClusterCommand.Abandon(session) : new ClusterCommand.Disconnect(session));
    }

    /**
     * This node is shutting down: from now on a closing connection abandons its session instead of
     * releasing its locks. Call before the server closes its connections.
     */
    public void stopping() {
        stopping = true;
    }

    /** Queues {@code command} for the next proposal; never blocks. */
    CompletableFuture<Void> propose(ClusterCommand command) {
        return proposer.submit(command);
    }

    private void deliver(SessionKey session, long seq, Outcome outcome) {
        if (session.localId() >= 0 && session.node().equals(nodeId) && incarnations.contains(session.incarnation())) {
            SessionSink sink = sessions.get(session.localId());
            if (sink != null) {
                sink.outcome(seq, outcome);
            }
        }
    }

    /**
     * A snapshot from the leader replaced the state: this node's waiting requests may have been
     * decided in entries it skipped, so each is answered {@code error} (its client retries or gives
     * up; whatever the skipped entries granted it ends with its lease or its connection).
     */
    private void stateReplaced() {
        LOG.log(Level.WARNING, nodeId + ": caught up from the leader's snapshot; pending requests answered error");
        sessions.values().forEach(SessionSink::lost);
    }

    private void tickIfDue() {
        try {
            if (!isLeader()) {
                return;
            }
            goneNodes.check(this::roleInfo, node -> machine.state().runningIncarnation(node));
            long now = monotonicNanos.getAsLong();
            boolean gcDue = now - lastGc >= gcIntervalNanos && machine.state().resourceCount() > 0;
            boolean timerDue = machine.state().nextTimerDue() <= machine.estimatedReplicatedNow();
            if (!(gcDue || timerDue) || !tickInFlight.compareAndSet(false, true)) {
                return;
            }
            if (gcDue) {
                lastGc = now;
            }
            propose(new ClusterCommand.Tick()).whenComplete((r, e) -> tickInFlight.set(false));
        } catch (RuntimeException e) {
            tickInFlight.set(false); // the server is closing; the next run will see it
        }
    }

    private RoleInfoProto roleInfo() {
        try {
            return server.getDivision(GROUP_ID).getInfo().getRoleInfoProto();
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether this node currently leads the group. */
    public boolean isLeader() {
        try {
            return server.getDivision(GROUP_ID).getInfo().isLeader();
        } catch (IOException e) {
            return false;
        }
    }

    public String nodeId() {
        return nodeId;
    }

    /**
     * Redirect mode's answer to a lock-family command or {@code barrier} (CLUSTER-DESIGN.md §4.2):
     * {@code null} while this node serves them itself (forward mode, or it leads), else
     * {@code error_not_leader} naming the leader's client address from {@code --cluster-peers}, bare
     * while no leader is known.
     */
    public Reply.NotLeader notLeader() {
        if (followerMode == FollowerMode.FORWARD) {
            return null;
        }
        DivisionInfo info;
        try {
            info = server.getDivision(GROUP_ID).getInfo();
        } catch (IOException closed) {
            return new Reply.NotLeader(null);
        }
        if (info.isLeader()) {
            return null;
        }
        RaftPeerId leader = info.getLeaderId();
        return new Reply.NotLeader(leader == null ? null : clientAddressOf(leader.toString()));
    }

    /**
     * Leader changes this node has seen since it started: each time Ratis told it of a new leader,
     * its first election included (for {@code dflockd_raft_leader_changes_total}).
     */
    public long leaderChanges() {
        return machine.leaderChanges();
    }

    /**
     * This node's view of the group, for {@code stats}; {@code null} once the server is closed.
     */
    public ClusterStatus status() {
        RaftServer.Division division;
        try {
            division = server.getDivision(GROUP_ID);
        } catch (IOException e) {
            return null;
        }
        DivisionInfo info = division.getInfo();
        RaftPeerId leader = info.getLeaderId();
        String leaderId = leader == null ? null : leader.toString();
        List<ClusterStatus.Voter> voters = new ArrayList<>();
        for (RaftPeer p : division.getRaftConf().getCurrentPeers()) {
            String id = p.getId().toString();
            voters.add(new ClusterStatus.Voter(id, p.getAddress(), clientAddressOf(id)));
        }
        voters.sort(Comparator.comparing(ClusterStatus.Voter::id));
        return new ClusterStatus(nodeId, info.getCurrentRole().name().toLowerCase(Locale.ROOT), info.getCurrentTerm(),
                leaderId, leaderId == null ? null : clientAddressOf(leaderId),
                division.getRaftLog().getLastCommittedIndex(), info.getLastAppliedIndex(),
                Math.max(0, division.getRaftLog().getSnapshotIndex()), // Ratis says -1 before the first
                followerMode.wire(), voters);
    }

    /**
     * The dflockd client address of member {@code nodeId}: as the Raft configuration records it
     * (replicated, so it covers members added since this node started), else as
     * {@code --cluster-peers} gives it (configurations written before addresses were recorded);
     * {@code null} for an unknown node.
     */
    public String clientAddressOf(String nodeId) {
        String recorded = membership.clientAddressOf(nodeId);
        return recorded != null ? recorded : clientAddresses.get(nodeId);
    }

    /**
     * Carries out a membership command (CLUSTER-DESIGN.md §4.6): completes once the cluster committed
     * the new configuration (a removed node then stops by itself) or the new leader leads.
     */
    public CompletableFuture<Void> changeMembership(Request.Membership command) {
        return membership.change(command);
    }

    /**
     * A graceful stop's first step: a leader hands the leadership to its most caught-up follower.
     * Blocks until done (or failed: logged, and the stop goes on); does nothing on a follower.
     */
    public void handOffLeadership() {
        membership.handOffLeadership();
    }

    /** Completes when this node learns that it was removed from the cluster (its Raft server stopped itself). */
    public CompletableFuture<Void> removed() {
        return machine.removed();
    }

    /**
     * A linearizable no-op ({@code barrier}, CLUSTER-DESIGN.md §1.4): completes once a ReadIndex read
     * through this node's own Raft server is done, so this node has applied every entry committed
     * before the call; fails if no leader confirms it within {@value #BARRIER_TIMEOUT_SECONDS} s.
     *
     * <p>Unordered on purpose: an ordered read to this node shares the client's gRPC stream to it
     * with the ordered writes when this node leads, but not their sequence numbers, and the server
     * side keeps one sliding window per stream: the leader's barrier then hung until the 3 s request
     * timeout closed the stream (and failed the writes in flight on it over to a retry).
     */
    public CompletableFuture<Void> barrier() {
        return client.async().sendReadOnlyUnordered(Message.EMPTY, peerId)
                .orTimeout(BARRIER_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .thenApply(reply -> {
                    if (!reply.isSuccess()) {
                        throw new CompletionException(new IOException("barrier read failed: " + reply));
                    }
                    return null;
                });
    }

    /** How long a connection's request may wait to be committed before it is answered error and closed. */
    long requestTimeoutMillis() {
        return requestTimeoutMillis;
    }

    /** The connections of this node, as the server's lock backend. */
    /**
     * This node's replica of the lock state as it is now; it changes identity when a snapshot is
     * installed. For reads under a resource monitor only ({@code observe}, PROTOCOL.md §6.15): changes
     * go through the log.
     */
    public LockManager locks() {
        return machine.state().locks();
    }

    public LockBackend backend() {
        return backend;
    }

    List<ResourceSnapshot> snapshot() {
        return machine.state().snapshot();
    }

    int heldCount(SessionKey session) {
        return machine.state().heldCount(session);
    }

    /** The last fence the replicated state issued (stats, tests). */
    public long lastFence() {
        return machine.state().lastFence();
    }

    @Override
    public void close() throws IOException {
        machine.closingByNode();
        ticker.shutdownNow();
        membership.close();
        proposer.close();
        try {
            client.close();
        } finally {
            server.close();
        }
    }
}
