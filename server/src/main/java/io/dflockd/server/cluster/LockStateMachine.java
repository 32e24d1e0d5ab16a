package io.dflockd.server.cluster;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The Ratis state machine of a node (CLUSTER-DESIGN.md §1.2, §2): the leader stamps each proposal
 * with its clocks and a salt seed in {@link #startTransaction} (leader only), and every replica
 * applies committed entries to its {@link ReplicatedLocks} in log order on Ratis's single updater
 * thread. Outcomes of this node's own sessions go to {@code deliveries}; the rest are dropped, the
 * node that hosts those sessions delivers them when it applies the same entry.
 *
 * <p>No snapshots yet: a restarted node replays the whole log (increment 3 of the design adds them).
 */
final class LockStateMachine extends BaseStateMachine {
    private static final Logger LOG = System.getLogger(LockStateMachine.class.getName());

    private final ReplicatedLocks state;
    private final ReplicatedLocks.Deliveries deliveries;
    private final LongSupplier monotonicNanos;
    private final LongSupplier wallNanos;
    private final SecureRandom seeds = new SecureRandom();
    /** This node's monotonic time when the last entry was applied; read by the leader's ticker. */
    private volatile long lastApplyNanos;

    LockStateMachine(ReplicatedLocks state, ReplicatedLocks.Deliveries deliveries, LongSupplier monotonicNanos,
            LongSupplier wallNanos) {
        this.state = state;
        this.deliveries = deliveries;
        this.monotonicNanos = monotonicNanos;
        this.wallNanos = wallNanos;
        this.lastApplyNanos = monotonicNanos.getAsLong();
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

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeader) {
        LOG.log(Level.INFO, () -> member.getPeerId() + ": the cluster's leader is now "
                + (newLeader == null ? "unknown" : newLeader));
    }

    /**
     * What replicated time is now, as this node estimates it: the time of the last applied entry plus
     * what its own clock measured since. Only used to decide when to propose a tick.
     */
    long estimatedReplicatedNow() {
        return state.now() + (monotonicNanos.getAsLong() - lastApplyNanos);
    }
}
