package io.dflockd.server.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A node's cluster settings (upstream's flags): {@code --node-id}, {@code --cluster-peers},
 * {@code --raft-dir}, {@code --raft-addr}, {@code --cluster-request-timeout}, {@code --raft-tls-*} and
 * {@code --follower-mode}. The constructors give the defaults (a plaintext Raft port, forward mode);
 * {@link #withTls} and {@link #withFollowerMode} set the rest.
 *
 * @param nodeId   this node's id; must be one of {@code peers}
 * @param peers    every initial member, this node included, the same list on every node
 * @param raftDir  Ratis's storage (log, metadata); an empty directory is formatted, a used one recovered
 * @param raftBind where this node's Raft port listens, {@code host:port}; by default its address in {@code peers}
 * @param requestTimeout how long a client's request may wait to be committed (no leader, this node
 *                 cut off) before the connection is answered {@code error} and closed
 * @param tls      mutual TLS between the nodes, or {@code null}: a plaintext Raft port
 * @param followerMode how this node answers lock commands while it does not lead
 * @param join     {@code --cluster-join}: an empty {@code raftDir} starts with no members, waiting for
 *                 an add (CLUSTER-DESIGN.md §4.6); {@code peers} are then the members to reach (this
 *                 node need not be among them, but {@code raftBind} must be given)
 * @param orphanTtl {@code --orphan-ttl}: how long the queue places and slots of a client that left
 *                 (with a stable reference) are kept for it to re-attach; zero = not kept (CLUSTER-DESIGN.md §3.5)
 * @param nodeGoneTimeout {@code --node-gone-timeout}: a voter the leader has not heard from for this
 *                 long is declared gone (CLUSTER-DESIGN.md §2.6); {@code null} = twice the default lease
 */
public record ClusterConfig(String nodeId, List<ClusterPeer> peers, Path raftDir, String raftBind,
        Duration requestTimeout, RaftTls tls, FollowerMode followerMode, boolean join, Duration orphanTtl,
        Duration nodeGoneTimeout) {
    /** The default {@link #requestTimeout}. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    /** With the default request timeout, no orphans, the default node-gone timeout. */
    public ClusterConfig(String nodeId, List<ClusterPeer> peers, Path raftDir, String raftBind) {
        this(nodeId, peers, raftDir, raftBind, DEFAULT_REQUEST_TIMEOUT);
    }

    /** A founding member, plaintext between the nodes, in forward mode. */
    public ClusterConfig(String nodeId, List<ClusterPeer> peers, Path raftDir, String raftBind,
            Duration requestTimeout) {
        this(nodeId, peers, raftDir, raftBind, requestTimeout, null, FollowerMode.FORWARD, false,
                Duration.ZERO, null);
    }

    /** This configuration with mutual TLS between the nodes ({@code null}: plaintext). */
    public ClusterConfig withTls(RaftTls raftTls) {
        return new ClusterConfig(nodeId, peers, raftDir, raftBind, requestTimeout, raftTls, followerMode, join,
                orphanTtl, nodeGoneTimeout);
    }

    /** This configuration with {@code --orphan-ttl} and {@code --node-gone-timeout} ({@code null}: the default). */
    public ClusterConfig withStableRefs(Duration orphans, Duration goneAfter) {
        return new ClusterConfig(nodeId, peers, raftDir, raftBind, requestTimeout, tls, followerMode, join,
                orphans, goneAfter);
    }

    /** This configuration with another follower mode. */
    public ClusterConfig withFollowerMode(FollowerMode mode) {
        return new ClusterConfig(nodeId, peers, raftDir, raftBind, requestTimeout, tls, mode, join,
                orphanTtl, nodeGoneTimeout);
    }

    /**
     * A node that joins an existing cluster ({@code --cluster-join}), plaintext, in forward mode:
     * {@code peers} are the members to reach, {@code raftBind} its own Raft address.
     */
    public static ClusterConfig joining(String nodeId, List<ClusterPeer> peers, Path raftDir, String raftBind,
            Duration requestTimeout) {
        return new ClusterConfig(nodeId, peers, raftDir, raftBind, requestTimeout, null, FollowerMode.FORWARD, true,
                Duration.ZERO, null);
    }

    public ClusterConfig {
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("the cluster request timeout must be positive, got " + requestTimeout);
        }
        if (orphanTtl == null || orphanTtl.isNegative()) {
            throw new IllegalArgumentException("the orphan TTL must be zero or positive, got " + orphanTtl);
        }
        if (nodeGoneTimeout != null && (nodeGoneTimeout.isNegative() || nodeGoneTimeout.isZero())) {
            throw new IllegalArgumentException("the node-gone timeout must be positive, got " + nodeGoneTimeout);
        }
        Objects.requireNonNull(raftDir, "raftDir");
        Objects.requireNonNull(followerMode, "followerMode");
        peers = List.copyOf(peers);
        Set<String> ids = new HashSet<>();
        Set<String> raft = new HashSet<>();
        Set<String> clients = new HashSet<>();
        ClusterPeer self = null;
        for (ClusterPeer p : peers) {
            if (!ids.add(p.id())) {
                throw new IllegalArgumentException("node id " + p.id() + " is listed twice");
            }
            if (!raft.add(p.raftAddress()) || !clients.add(p.clientAddress())) {
                throw new IllegalArgumentException("two peers share an address: " + p);
            }
            if (p.id().equals(nodeId)) {
                self = p;
            }
        }
        if (self == null && !join) {
            throw new IllegalArgumentException("node id '" + nodeId + "' is not among the peers " + peers);
        }
        if (raftBind == null) {
            if (self == null) {
                throw new IllegalArgumentException("a joining node that is not among the peers needs its Raft address");
            }
            raftBind = self.raftAddress();
        }
        if (tls != null && !tls.nodeId().equals(nodeId)) {
            throw new IllegalArgumentException("the Raft TLS settings are for node " + tls.nodeId() + ", not " + nodeId);
        }
    }

    /** Parses {@code --cluster-peers}: comma-separated {@code id=raftHost:raftPort@clientHost:clientPort}. */
    public static List<ClusterPeer> parsePeers(String spec) {
        List<ClusterPeer> peers = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            peers.add(ClusterPeer.parse(part.strip()));
        }
        return peers;
    }

    /** This node's entry of {@link #peers}. */
    public ClusterPeer self() {
        return peers.stream().filter(p -> p.id().equals(nodeId)).findFirst().orElseThrow();
    }
}
