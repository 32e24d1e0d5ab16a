package io.dflockd.server.cluster;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Which process of each node the replicated state takes commands from (CLUSTER-DESIGN.md §2.6): the
 * incarnation of the node's last {@link ClusterCommand.NodeUp}, or none after a
 * {@link ClusterCommand.NodeGone} of that incarnation. A node never announced (a test's hand-made
 * log) is trusted. Written on the apply thread; the leader's ticker reads it.
 */
final class NodeProcesses {
    /** The incarnation of a node declared gone: none of its sessions is admitted. Never drawn (ClusterNode). */
    static final long GONE = 0;

    private final ConcurrentSkipListMap<String, Long> running = new ConcurrentSkipListMap<>();

    void started(String node, long incarnation) {
        running.put(node, incarnation);
    }

    /**
     * {@code node}'s process {@code incarnation} is declared gone.
     *
     * @return false if that process is not the running one (a newer one started since): nothing changes
     */
    boolean gone(String node, long incarnation) {
        Long current = running.get(node);
        if (current != null && current != incarnation) {
            return false;
        }
        running.put(node, GONE);
        return true;
    }

    /** Whether the session's commands apply: its node process is the running one. */
    boolean admits(SessionKey session) {
        Long current = running.get(session.node());
        return current == null || current == session.incarnation();
    }

    /** The running process of {@code node}; {@link #GONE} when unknown or gone. Any thread. */
    long running(String node) {
        return running.getOrDefault(node, GONE);
    }

    void write(DataOutput out) throws IOException {
        out.writeInt(running.size());
        for (Map.Entry<String, Long> e : running.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    void read(DataInput in) throws IOException {
        for (int i = in.readInt(); i > 0; i--) {
            running.put(in.readUTF(), in.readLong());
        }
    }
}
