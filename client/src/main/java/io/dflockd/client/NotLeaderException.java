package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * A cluster node in redirect mode answered {@code error_not_leader} and the client did not follow it
 * (PROTOCOL.md §11.1): the named leader is not one of the configured cluster members, the call was
 * still turned away after {@value DflockdConnection#MAX_REDIRECTS} redirects, or the connection is
 * not to a cluster configured with {@link ClientConfig.Builder#cluster}. A {@link ServerErrorException},
 * so code written for the plain {@code error} status still catches it.
 */
public class NotLeaderException extends ServerErrorException {
    private static final long serialVersionUID = 1L;

    private final String leaderAddress;

    /**
     * @param server        the node that answered
     * @param message       the detail message
     * @param leaderAddress the leader's {@code host:port} as the node named it, or {@code null}
     * @param cause         the last failure while following, or {@code null}
     */
    public NotLeaderException(InetSocketAddress server, String message, String leaderAddress, Throwable cause) {
        super(server, message, cause);
        this.leaderAddress = leaderAddress;
    }

    /** The leader's {@code host:port} as the node named it, or {@code null} when it named none. */
    public String leaderAddress() {
        return leaderAddress;
    }
}
