package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * The server answered the plain {@code error} status (bad request, unknown or stale token, failed
 * renewal, …) or a status this client does not know.
 */
public class ServerErrorException extends DflockdException {
    private static final long serialVersionUID = 1L;

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     */
    public ServerErrorException(InetSocketAddress server, String message) {
        super(server, message, null);
    }

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     * @param cause the underlying cause, or {@code null}
     */
    public ServerErrorException(InetSocketAddress server, String message, Throwable cause) {
        super(server, message, cause);
    }
}
