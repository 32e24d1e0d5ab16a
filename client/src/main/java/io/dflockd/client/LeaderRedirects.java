package io.dflockd.client;

import io.dflockd.protocol.Reply;
import io.dflockd.protocol.Status;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;

/**
 * Where a cluster connection goes when a node in redirect mode answers {@code error_not_leader}
 * (CLUSTER-DESIGN.md §4.5): to the named leader only if it is one of the configured members, so a
 * stale or hostile reply cannot send the client to an arbitrary host; to the next member after a
 * short pause when no leader is named.
 */
final class LeaderRedirects {
    /** Pause before trying the next member when the node knew no leader (an election is under way). */
    static final long NO_LEADER_PAUSE_MS = 50;

    private LeaderRedirects() {
    }

    /** The reply if {@code line} is {@code error_not_leader [<host:port>]}, else {@code null}. */
    static Reply.NotLeader notLeader(String line) {
        if (!line.startsWith(Status.ERROR_NOT_LEADER.wire())) {
            return null; // every other reply, cheaply
        }
        try {
            return Reply.parse(line) instanceof Reply.NotLeader n ? n : null;
        } catch (IllegalArgumentException malformed) {
            return null; // the reply parser reports it
        }
    }

    /**
     * The member to connect to after {@code reply} from {@code from}: the named leader, or the
     * member after {@code from} when none is named.
     *
     * @throws NotLeaderException if the named leader is not one of the members
     */
    static InetSocketAddress target(List<InetSocketAddress> members, InetSocketAddress from, Reply.NotLeader reply,
            String request) {
        String named = reply.leaderAddress();
        if (named == null) {
            return after(members, from);
        }
        InetSocketAddress leader;
        try {
            leader = Addresses.parse(named);
        } catch (IllegalArgumentException e) {
            leader = null;
        }
        for (InetSocketAddress m : members) {
            if (leader != null && sameAddress(m, leader)) {
                return m;
            }
        }
        throw new NotLeaderException(from, "redirected to " + named + " (" + request + "), which is not one of the "
                + "configured cluster members " + describe(members) + "; not followed", named, null);
    }

    /** The member after {@code from} in the configured order (the first when {@code from} is none). */
    static InetSocketAddress after(List<InetSocketAddress> members, InetSocketAddress from) {
        return members.get((members.indexOf(from) + 1) % members.size());
    }

    /** Same port and same host, ignoring case (host names and IPv6 hex digits). */
    private static boolean sameAddress(InetSocketAddress a, InetSocketAddress b) {
        return a.getPort() == b.getPort()
                && a.getHostString().toLowerCase(Locale.ROOT).equals(b.getHostString().toLowerCase(Locale.ROOT));
    }

    static String describe(List<InetSocketAddress> members) {
        return members.stream().map(Addresses::format).collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }
}
