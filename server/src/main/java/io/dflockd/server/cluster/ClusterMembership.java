package io.dflockd.server.cluster;

import io.dflockd.protocol.Request;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.util.TimeDuration;

/**
 * Membership changes and leadership hand-over through Ratis's admin API (CLUSTER-DESIGN.md §1.6
 * and CLUSTER-DESIGN.md §4.6). Each call runs on this node's admin thread, one at a time, through a RaftClient made for it
 * from the current configuration (which changes with every call), that gives up after a bounded
 * number of tries: the node's proposal client retries forever, which an operator's command must not.
 *
 * <p>Each member's dflockd client address rides in its {@link RaftPeer}'s data-stream address: that
 * field is replicated and persisted with every configuration, and nothing dials it while Ratis's
 * data stream is disabled (its default, which we keep). The client address field cannot carry it:
 * Ratis's own client dials that one.
 */
final class ClusterMembership implements AutoCloseable {
    private static final Logger LOG = System.getLogger(ClusterMembership.class.getName());
    /** How long one admin call may wait for its reply: an add waits until the new node caught up. */
    private static final TimeDuration CALL_TIMEOUT = TimeDuration.valueOf(30, TimeUnit.SECONDS);
    /** Tries of one admin call (no leader yet, a leader change): about 5 s at 100 ms apart. */
    private static final int ATTEMPTS = 50;
    /**
     * How long a command keeps trying: a configuration change under way (a new leader's own
     * configuration entry is one, until committed), a compare-and-set against a configuration that
     * moved on, or a leader change can each fail an attempt and pass the next.
     */
    private static final long COMMAND_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final long RETRY_PAUSE_MILLIS = 200;
    private static final long TRANSFER_TIMEOUT_MILLIS = 5_000;

    private final RaftServer server;
    private final RaftGroupId groupId;
    /** The members from {@code --cluster-peers}: whom to ask while this node knows no configuration. */
    private final List<RaftPeer> flagPeers;
    private final ExecutorService admin;
    /** The node's Raft transport settings (mutual TLS or none), which the admin client must share. */
    private final Parameters transport;

    ClusterMembership(String nodeId, RaftServer server, RaftGroupId groupId, List<RaftPeer> flagPeers,
            Parameters transport) {
        this.server = server;
        this.transport = transport;
        this.groupId = groupId;
        this.flagPeers = List.copyOf(flagPeers);
        this.admin = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "dflockd-cluster-admin-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    /** A {@link RaftPeer} for a member: the Raft address, and the dflockd client address where it can ride. */
    static RaftPeer peer(String id, String raftAddress, String clientAddress) {
        return RaftPeer.newBuilder().setId(id).setAddress(raftAddress).setDataStreamAddress(clientAddress).build();
    }

    private RaftServer.Division division() throws IOException {
        return server.getDivision(groupId);
    }

    /** The voters of the configuration this node knows (the new one while a change is under way). */
    private Collection<RaftPeer> voters() throws IOException {
        return division().getRaftConf().getCurrentPeers();
    }

    /** The dflockd client address the configuration records for {@code nodeId}; {@code null} if none. */
    String clientAddressOf(String nodeId) {
        try {
            RaftPeer p = division().getRaftConf().getPeer(RaftPeerId.valueOf(nodeId), RaftPeerRole.FOLLOWER);
            return p == null ? null : p.getDataStreamAddress();
        } catch (IOException closed) {
            return null;
        }
    }

    /** Adds a voter; completes when the new configuration is committed (Ratis catches the node up first). */
    private CompletableFuture<Void> add(String id, String raftAddress, String clientAddress) {
        return run("add " + id, retry -> {
            for (RaftPeer p : voters()) {
                boolean sameId = p.getId().toString().equals(id);
                if (sameId && p.getAddress().equals(raftAddress)) {
                    return null; // already a member with that address: nothing to do
                }
                if (sameId) {
                    throw new Refused(id + " is already a member, with Raft address " + p.getAddress());
                }
                if (p.getAddress().equals(raftAddress)) {
                    throw new Refused("member " + p.getId() + " already has Raft address " + raftAddress);
                }
            }
            return client -> client.admin().setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
                    .setMode(SetConfigurationRequest.Mode.ADD)
                    .setServersInNewConf(List.of(peer(id, raftAddress, clientAddress))).build());
        });
    }

    /**
     * Removes a voter, if the configuration is still the one this node knows (compare-and-set). After
     * a failed attempt, a configuration without {@code id} means that attempt landed after all.
     */
    private CompletableFuture<Void> remove(String id) {
        return run("remove " + id, retry -> {
            List<RaftPeer> current = new ArrayList<>(voters());
            List<RaftPeer> remaining = new ArrayList<>(current);
            if (!remaining.removeIf(p -> p.getId().toString().equals(id))) {
                if (retry) {
                    return null;
                }
                throw new Refused(id + " is not a member");
            }
            if (remaining.isEmpty()) {
                throw new Refused(id + " is the last member");
            }
            return client -> client.admin().setConfiguration(SetConfigurationRequest.Arguments.newBuilder()
                    .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
                    .setServersInCurrentConf(current).setServersInNewConf(remaining).build());
        });
    }

    /** Carries out a membership command (PROTOCOL.md §6.12). */
    CompletableFuture<Void> change(Request.Membership command) {
        if (command instanceof Request.ClusterAdd add) {
            return add(add.nodeId(), add.raftAddress(), add.clientAddress());
        }
        return command instanceof Request.ClusterRemove ? remove(command.nodeId()) : transfer(command.nodeId());
    }

    /** Hands the leadership to {@code id}; completes once it leads (at once if it already does). */
    private CompletableFuture<Void> transfer(String id) {
        return run("transfer to " + id, retry -> {
            if (voters().stream().noneMatch(p -> p.getId().toString().equals(id))) {
                throw new Refused(id + " is not a member");
            }
            if (RaftPeerId.valueOf(id).equals(division().getInfo().getLeaderId())) {
                return null;
            }
            return client -> client.admin().transferLeadership(RaftPeerId.valueOf(id), TRANSFER_TIMEOUT_MILLIS);
        });
    }

    /**
     * When this node leads, hands the leadership to the follower that has the most of the log (a
     * graceful stop, CLUSTER-DESIGN.md §4.6), so the others need not wait for an election timeout.
     * Blocks until done or failed; a failure is logged, the stop goes on.
     */
    void handOffLeadership() {
        String successor = mostCaughtUpFollower();
        if (successor == null) {
            return;
        }
        try {
            transfer(successor).get(CALL_TIMEOUT.toLong(TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS);
            LOG.log(Level.INFO, () -> "handed the leadership to " + successor);
        } catch (Exception e) {
            LOG.log(Level.WARNING, () -> "could not hand the leadership to " + successor + ": " + e.getMessage());
        }
    }

    private String mostCaughtUpFollower() {
        DivisionInfo info;
        try {
            info = division().getInfo();
        } catch (IOException closed) {
            return null;
        }
        if (!info.isLeader()) {
            return null;
        }
        // Both lists come from the leader's log appenders, in one order.
        List<ServerRpcProto> followers = info.getRoleInfoProto().getLeaderInfo().getFollowerInfoList();
        long[] matched = info.getFollowerMatchIndices();
        if (matched == null || matched.length != followers.size() || matched.length == 0) {
            return null;
        }
        int best = 0;
        for (int i = 1; i < matched.length; i++) {
            if (matched[i] > matched[best]) {
                best = i;
            }
        }
        return RaftPeerId.valueOf(followers.get(best).getId().getId()).toString();
    }

    /**
     * One admin command: {@code prepare} checks it against the configuration this node knows and
     * returns the call to send, or {@code null} when the configuration already is what was asked.
     * A failed attempt is prepared and sent again until {@link #COMMAND_DEADLINE_NANOS}; a
     * {@link Refused} command fails at once.
     */
    private CompletableFuture<Void> run(String what, Preparation prepare) {
        return CompletableFuture.runAsync(() -> {
            long deadline = System.nanoTime() + COMMAND_DEADLINE_NANOS;
            for (int attempt = 1; ; attempt++) {
                try {
                    attempt(prepare, attempt > 1);
                    LOG.log(Level.INFO, () -> "cluster membership: " + what + " done");
                    return;
                } catch (Refused e) {
                    throw failed(what, e);
                } catch (IOException e) {
                    if (System.nanoTime() - deadline >= 0) {
                        throw failed(what, e);
                    }
                    int failures = attempt;
                    LOG.log(Level.INFO, () -> "cluster membership: " + what + ", attempt " + failures
                            + " failed, trying again: " + e.getMessage());
                    pause();
                }
            }
        }, admin);
    }

    private void attempt(Preparation prepare, boolean retry) throws IOException {
        AdminCall call = prepare.call(retry);
        if (call == null) {
            return;
        }
        try (RaftClient client = adminClient()) {
            RaftClientReply reply = call.send(client);
            if (!reply.isSuccess()) {
                throw new IOException(String.valueOf(reply.getException()));
            }
        }
    }

    private static MembershipException failed(String what, IOException e) {
        LOG.log(Level.WARNING, () -> "cluster membership: " + what + " failed: " + e.getMessage());
        return new MembershipException(what + " failed: " + e.getMessage(), e);
    }

    private static void pause() {
        try {
            Thread.sleep(RETRY_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MembershipException("interrupted (the node is stopping)", e);
        }
    }

    private RaftClient adminClient() throws IOException {
        RaftServer.Division division = division();
        Collection<RaftPeer> known = division.getRaftConf().getCurrentPeers();
        RaftProperties props = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, CALL_TIMEOUT);
        RaftGroup group = RaftGroup.valueOf(groupId, known.isEmpty() ? flagPeers : known);
        RaftPeerId leader = division.getInfo().getLeaderId();
        RaftClient.Builder b = RaftClient.newBuilder().setRaftGroup(group).setProperties(props).setParameters(transport)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(ATTEMPTS,
                        TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)));
        if (leader != null && group.getPeer(leader) != null) {
            b.setLeaderId(leader);
        }
        return b.build();
    }

    @Override
    public void close() {
        admin.shutdownNow();
    }

    /**
     * Checks a request against the configuration; {@code null} when there is nothing to change.
     * {@code retry} is set after a failed attempt, which may have landed all the same.
     */
    @FunctionalInterface
    private interface Preparation {
        AdminCall call(boolean retry) throws IOException;
    }

    /** A command the configuration rules out (no such member, the last member): trying again cannot help. */
    private static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    @FunctionalInterface
    private interface AdminCall {
        RaftClientReply send(RaftClient client) throws IOException;
    }

    /** A membership call the cluster refused or could not complete; the message says why. */
    static final class MembershipException extends RuntimeException {
        MembershipException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
