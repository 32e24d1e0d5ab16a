package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * The slot was granted, but its lease ran out before it could be handed over
 * ({@code error_lease_expired}). The lock is not held.
 */
public class LeaseExpiredException extends DflockdException {
    private static final long serialVersionUID = 1L;

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     */
    public LeaseExpiredException(InetSocketAddress server, String message) {
        super(server, message, null);
    }

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     * @param cause the underlying cause, or {@code null}
     */
    public LeaseExpiredException(InetSocketAddress server, String message, Throwable cause) {
        super(server, message, cause);
    }
}
