package io.dflockd.server.cluster;

import io.dflockd.protocol.ClusterNames;

/**
 * One member of the cluster as {@code --cluster-peers} lists it: {@code id=raftHost:raftPort@clientHost:clientPort}.
 *
 * @param id            the node id, {@code [A-Za-z0-9_.-]{1,64}}
 * @param raftAddress   where peers reach its Raft port
 * @param clientAddress where clients reach its dflockd port
 */
public record ClusterPeer(String id, String raftAddress, String clientAddress) {
    public ClusterPeer {
        if (!ClusterNames.isNodeId(id)) {
            throw new IllegalArgumentException("bad node id '" + id + "': 1-64 of A-Z a-z 0-9 _ . -");
        }
        requireHostPort(raftAddress, "raft");
        requireHostPort(clientAddress, "client");
    }

    /** Parses {@code id=raftHost:raftPort@clientHost:clientPort}. */
    public static ClusterPeer parse(String spec) {
        int eq = spec.indexOf('=');
        int at = spec.indexOf('@');
        if (eq <= 0 || at < eq) {
            throw new IllegalArgumentException("bad peer '" + spec + "': expected id=raftHost:raftPort@clientHost:clientPort");
        }
        return new ClusterPeer(spec.substring(0, eq), spec.substring(eq + 1, at), spec.substring(at + 1));
    }

    private static void requireHostPort(String address, String what) {
        if (!ClusterNames.isHostPort(address)) {
            throw new IllegalArgumentException("bad " + what + " address '" + address + "': expected host:port, port 1-65535");
        }
    }

    @Override
    public String toString() {
        return id + "=" + raftAddress + "@" + clientAddress;
    }
}
