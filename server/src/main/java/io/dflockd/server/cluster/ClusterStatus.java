package io.dflockd.server.cluster;

import java.util.List;

/**
 * A node's view of its Raft group at one moment, for {@code stats} (PROTOCOL.md §10,
 * CLUSTER-DESIGN.md §4.4): what {@link ClusterNode#status()} reads from Ratis, without Ratis types.
 * The values are read one after the other, not atomically (a term may end between two of them).
 *
 * @param nodeId        this node's id
 * @param role          {@code leader}, {@code follower}, {@code candidate} or {@code listener}
 * @param term          the current term
 * @param leaderId      the leader's id, or {@code null} while none is known
 * @param leaderAddress the leader's client address from {@code --cluster-peers}, or {@code null}
 * @param commitIndex   the last log index this node knows to be committed
 * @param appliedIndex  the last log index applied to this node's lock state
 * @param snapshotIndex the log index of this node's newest snapshot, 0 before the first
 * @param followerMode  {@code forward} or {@code redirect} ({@code --follower-mode})
 * @param voters        the voting members of the current configuration, in id order
 */
public record ClusterStatus(String nodeId, String role, long term, String leaderId, String leaderAddress,
        long commitIndex, long appliedIndex, long snapshotIndex, String followerMode, List<Voter> voters) {
    public ClusterStatus {
        voters = List.copyOf(voters);
    }

    /**
     * A voting member.
     *
     * @param clientAddress its client address from {@code --cluster-peers}; {@code null} for a member
     *                      this node's flags do not list
     */
    public record Voter(String id, String raftAddress, String clientAddress) {
    }
}
