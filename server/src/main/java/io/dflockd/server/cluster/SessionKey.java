package io.dflockd.server.cluster;

import java.util.Comparator;

/**
 * A client session anywhere in the cluster: the node it is connected to, that node process's
 * incarnation (a random number drawn at start, so a restarted node never revives old sessions) and
 * the node-local connection id.
 */
record SessionKey(String node, long incarnation, long localId) implements Comparable<SessionKey> {
    private static final Comparator<SessionKey> ORDER = Comparator.comparing(SessionKey::node)
            .thenComparingLong(SessionKey::incarnation).thenComparingLong(SessionKey::localId);

    @Override
    public int compareTo(SessionKey o) {
        return ORDER.compare(this, o);
    }

    @Override
    public String toString() {
        return node + "/" + Long.toHexString(incarnation) + "/" + localId;
    }
}
