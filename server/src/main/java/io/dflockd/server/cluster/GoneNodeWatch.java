package io.dflockd.server.cluster;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;

/**
 * The leader's watch for voters that stopped answering (CLUSTER-DESIGN.md §2.6): a follower whose
 * last answer, in Ratis's follower info, is older than {@code --node-gone-timeout} is proposed gone
 * ({@link ClusterCommand.NodeGone}), once per process incarnation the replicated state knows for it.
 * Looks at most every {@value #CHECK_MILLIS} ms. Confined to the node's ticker thread.
 */
final class GoneNodeWatch {
    private static final Logger LOG = System.getLogger(GoneNodeWatch.class.getName());
    private static final long CHECK_MILLIS = 100;

    private final String nodeId;
    private final long timeoutMillis;
    private final LongSupplier monotonicNanos;
    private final Consumer<ClusterCommand> propose;
    private final Set<String> proposed = new HashSet<>();
    private long lastCheck;

    /**
     * @param timeoutMillis {@code --node-gone-timeout}
     * @param propose       submits a command to the cluster
     */
    GoneNodeWatch(String nodeId, long timeoutMillis, LongSupplier monotonicNanos, Consumer<ClusterCommand> propose) {
        this.nodeId = nodeId;
        this.timeoutMillis = timeoutMillis;
        this.monotonicNanos = monotonicNanos;
        this.propose = propose;
        this.lastCheck = monotonicNanos.getAsLong();
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    /**
     * Called on every tick while this node leads.
     *
     * @param roleInfo          this node's role info (a leader's lists its followers); null once closed
     * @param runningIncarnation the node process the replicated state knows as running, 0 if none
     */
    void check(Supplier<RoleInfoProto> roleInfo, ToLongFunction<String> runningIncarnation) {
        long now = monotonicNanos.getAsLong();
        if (now - lastCheck < TimeUnit.MILLISECONDS.toNanos(CHECK_MILLIS)) {
            return;
        }
        lastCheck = now;
        RoleInfoProto role = roleInfo.get();
        if (role == null) {
            return;
        }
        for (ServerRpcProto follower : role.getLeaderInfo().getFollowerInfoList()) {
            String id = follower.getId().getId().toStringUtf8();
            long running = runningIncarnation.applyAsLong(id);
            if (follower.getLastRpcElapsedTimeMs() >= timeoutMillis && running != 0 && proposed.add(id + "/" + running)) {
                LOG.log(Level.WARNING, nodeId + ": no answer from " + id + " for " + follower.getLastRpcElapsedTimeMs()
                        + " ms; declaring it gone");
                propose.accept(new ClusterCommand.NodeGone(id, running));
            }
        }
    }
}
