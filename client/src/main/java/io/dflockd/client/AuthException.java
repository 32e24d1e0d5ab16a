package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * The server rejected the auth token ({@code error_auth}), or demands one that was not configured. The
 * server closes the connection after this reply.
 */
public class AuthException extends DflockdException {
    private static final long serialVersionUID = 1L;

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     */
    public AuthException(InetSocketAddress server, String message) {
        super(server, message, null);
    }

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     * @param cause the underlying cause, or {@code null}
     */
    public AuthException(InetSocketAddress server, String message, Throwable cause) {
        super(server, message, cause);
    }
}
