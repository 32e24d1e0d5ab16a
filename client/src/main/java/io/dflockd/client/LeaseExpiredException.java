package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * A lease ran out: the slot was granted but its lease ended before it could be handed over
 * ({@code error_lease_expired}), or, as the cause of a lost lease, no renewal succeeded before the
 * lease deadline the client can prove. The lock is not held.
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
