package io.dflockd.server;

import io.dflockd.server.cluster.ClusterPeer;
import io.dflockd.server.cluster.FollowerMode;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * How a cluster node presents itself to clients (CLUSTER-DESIGN.md §4.1): {@code --follower-mode}
 * and {@code --advertise-addr}, a picocli mixin of {@link Main}.
 */
final class FollowerOptions {
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[^\\s\\[\\]:@=,]+):([0-9]{1,5})");

    @Option(names = "--follower-mode", paramLabel = "MODE",
            description = "Cluster mode: forward (a follower serves every command through the leader) or redirect "
                    + "(it answers lock commands and barrier with error_not_leader and the leader's address) "
                    + "[DFLOCKD_FOLLOWER_MODE] (default: forward)")
    String followerMode;
    @Option(names = "--advertise-addr", paramLabel = "HOST:PORT",
            description = "Cluster mode: this node's client address; must be its address in --cluster-peers, "
                    + "which is what redirects name [DFLOCKD_ADVERTISE_ADDR]")
    String advertiseAddr;

    /** The first of these flags that is set, or {@code null}: they need cluster mode. */
    String firstGiven() {
        return followerMode != null ? "--follower-mode" : advertiseAddr != null ? "--advertise-addr" : null;
    }

    FollowerMode mode() {
        try {
            return followerMode == null ? FollowerMode.FORWARD : FollowerMode.parse(followerMode);
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("--follower-mode", "{} " + e.getMessage());
        }
    }

    /**
     * Checks {@code --advertise-addr} against this node's entry in {@code --cluster-peers}. Redirects
     * name the client address the cluster's configuration holds for the leader, which comes from that
     * entry (or from the node's {@code cluster-add}), so an advertised address that differs would never
     * be what clients are sent to: a mis-wired node, refused at start. {@code self} is {@code null} for a joining node not
     * in {@code --cluster-peers} (its address comes with its {@code cluster-add}): the form only.
     */
    void checkAdvertised(ClusterPeer self) {
        if (advertiseAddr == null) {
            return;
        }
        var m = HOST_PORT.matcher(advertiseAddr);
        int port = m.matches() ? Integer.parseInt(m.group(2)) : 0;
        if (port < 1 || port > 65535) {
            throw new InvalidSettingException("--advertise-addr",
                    "{} must be host:port with a port of 1-65535, got '" + advertiseAddr + "'");
        }
        if (self != null && !normalised(advertiseAddr).equals(normalised(self.clientAddress()))) {
            throw new InvalidSettingException("--advertise-addr", "{} " + advertiseAddr + " is not this node's client "
                    + "address in --cluster-peers (" + self + ")");
        }
    }

    /** Host names and hex digits compare without case; a port's leading zeros do not count. */
    private static String normalised(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return hostPort.substring(0, colon).toLowerCase(Locale.ROOT) + ":"
                + Integer.parseInt(hostPort.substring(colon + 1));
    }
}
