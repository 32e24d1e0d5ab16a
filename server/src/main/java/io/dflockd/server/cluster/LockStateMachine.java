package io.dflockd.server.cluster;

import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockSettings;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;

/**
 * The Ratis state machine of a node (CLUSTER-DESIGN.md §1.2, §2): the leader stamps each proposal
 * with its clocks and a salt seed in {@link #startTransaction} (leader only), and every replica
 * applies committed entries to its {@link ReplicatedLocks} in log order on Ratis's single updater
 * thread. Outcomes of this node's own sessions go to {@code deliveries}; the rest are dropped, the
 * node that hosts those sessions delivers them when it applies the same entry.
 *
 * <p>Snapshots (CounterStateMachine's file pattern, CLUSTER-DESIGN.md §1.2): the whole state in one
 * file per snapshot, MD5-checked; Ratis takes one every {@code snapshotEvery} entries and purges the
 * log up to it, installs the leader's on a node too far behind, and a restarted node loads the newest
 * and replays only the entries after it.
 */
final class LockStateMachine extends BaseStateMachine {
    private static final Logger LOG = System.getLogger(LockStateMachine.class.getName());

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final LockSettings settings;
    private final LockEvents events;
    private final long orphanTtlNanos;
    private final Runnable stateReplaced;
    /** Replaced when a snapshot is loaded (start, or one installed from the leader); apply thread writes. */
    private volatile ReplicatedLocks state;
    private final ReplicatedLocks.Deliveries deliveries;
    private final LongSupplier monotonicNanos;
    private final LongSupplier wallNanos;
    private final SecureRandom seeds = new SecureRandom();
    /** This node's monotonic time when the last entry was applied; read by the leader's ticker. */
    private volatile long lastApplyNanos;
    /** Times Ratis told this node of a new known leader (the first election included). */
    private final AtomicLong leaderChanges = new AtomicLong();
    /** Completed when Ratis stops this node's server because the node left the configuration. */
    private final CompletableFuture<Void> removed = new CompletableFuture<>();
    /** Set before the node closes its Raft server itself; any other close is Ratis's own doing. */
    private volatile boolean closingByNode;

    /**
     * @param stateReplaced told after a snapshot replaced the state under running sessions (an install
     *                      from the leader): their pending requests may have been decided in entries
     *                      this node never applied
     * @param orphanTtlNanos {@code --orphan-ttl}: how long a gone client's places are kept for its stable reference
     */
    LockStateMachine(LockSettings settings, LockEvents events, long orphanTtlNanos,
            ReplicatedLocks.Deliveries deliveries, Runnable stateReplaced, LongSupplier monotonicNanos,
            LongSupplier wallNanos) {
        this.settings = settings;
        this.events = events;
        this.orphanTtlNanos = orphanTtlNanos;
        this.stateReplaced = stateReplaced;
        this.state = new ReplicatedLocks(settings, events, orphanTtlNanos);
        this.deliveries = deliveries;
        this.monotonicNanos = monotonicNanos;
        this.wallNanos = wallNanos;
        this.lastApplyNanos = monotonicNanos.getAsLong();
    }

    /** The current replicated state (it changes identity when a snapshot is loaded). */
    ReplicatedLocks state() {
        return state;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId group, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, group, raftStorage);
            storage.init(raftStorage);
            load(storage.loadLatestSnapshot());
        });
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    /** Ratis installs a leader's snapshot only after this reached PAUSED (StateMachineUpdater.reload). */
    @Override
    public void pause() {
        getLifeCycle().transition(LifeCycle.State.PAUSING);
        getLifeCycle().transition(LifeCycle.State.PAUSED);
    }

    /** After a snapshot from the leader was installed: the newest snapshot on disk becomes the state. */
    @Override
    public void reinitialize() throws IOException {
        load(storage.loadLatestSnapshot());
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
        stateReplaced.run();
    }

    /** Writes the state as of the last applied entry; runs on the apply thread between entries. */
    @Override
    public long takeSnapshot() throws IOException {
        TermIndex applied = getLastAppliedTermIndex();
        File file = storage.getSnapshotFile(applied.getTerm(), applied.getIndex());
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file.toPath())))) {
            state.writeSnapshot(out);
        }
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), applied));
        return applied.getIndex();
    }

    private void load(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return; // a new node: the log holds everything
        }
        Path path = snapshot.getFile().getPath();
        if (snapshot.getFile().getFileDigest() != null) {
            MD5FileUtil.verifySavedMD5(path.toFile(), snapshot.getFile().getFileDigest());
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(path)))) {
            state = ReplicatedLocks.readSnapshot(settings, events, orphanTtlNanos, in);
        }
        updateLastAppliedTermIndex(snapshot.getTermIndex());
        LOG.log(Level.INFO, () -> "loaded the lock state of " + snapshot.getTermIndex() + " from " + path);
    }

    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        byte[] proposal = request.getMessage().getContent().toByteArray();
        TransactionContext.Builder trx = TransactionContext.newBuilder().setStateMachine(this)
                .setClientRequest(request);
        try {
            ClusterCodec.decodeProposal(proposal); // only what every replica can read enters the log
        } catch (IllegalArgumentException e) {
            TransactionContext refused = trx.build();
            refused.setException(e);
            return refused;
        }
        long seed;
        synchronized (seeds) {
            seed = seeds.nextLong();
        }
        byte[] entry = ClusterCodec.stamp(proposal, monotonicNanos.getAsLong(), wallNanos.getAsLong(), seed);
        return trx.setLogData(ByteString.copyFrom(entry)).build();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto e = trx.getLogEntry();
        ClusterEntry entry = ClusterCodec.decodeEntry(e.getStateMachineLogEntry().getLogData().toByteArray());
        state.apply(e.getTerm(), entry, deliveries);
        lastApplyNanos = monotonicNanos.getAsLong();
        updateLastAppliedTermIndex(e.getTerm(), e.getIndex());
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    /** Answers the linearizable reads of {@code barrier}: they carry nothing and read nothing. */
    @Override
    public CompletableFuture<Message> query(Message request) {
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    /** Ratis stopped this node's server by itself: it is no longer a member (CLUSTER-DESIGN.md §1.6). */
    @Override
    public void notifyServerShutdown(RoleInfoProto roleInfo, boolean allServer) {
        if (!allServer) {
            removed.complete(null);
        }
    }

    /** The node is about to close its Raft server (a stop, not a removal). */
    void closingByNode() {
        closingByNode = true;
    }

    /**
     * A leader that commits a configuration without itself closes its division straight away, with
     * no {@link #notifyServerShutdown} (that comes only from a removed follower's election): a close
     * the node did not ask for is that removal.
     */
    @Override
    public void close() throws IOException {
        super.close();
        if (!closingByNode) {
            removed.complete(null);
        }
    }

    CompletableFuture<Void> removed() {
        return removed;
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeader) {
        if (newLeader != null) {
            leaderChanges.incrementAndGet();
        }
        LOG.log(Level.INFO, () -> member.getPeerId() + ": the cluster's leader is now "
                + (newLeader == null ? "unknown" : newLeader));
    }

    /** How many times this node learnt of a new leader (an unknown leader, mid-election, is not counted). */
    long leaderChanges() {
        return leaderChanges.get();
    }

    /**
     * What replicated time is now, as this node estimates it: the time of the last applied entry plus
     * what its own clock measured since. Only used to decide when to propose a tick.
     */
    long estimatedReplicatedNow() {
        return state.now() + (monotonicNanos.getAsLong() - lastApplyNanos);
    }
}
