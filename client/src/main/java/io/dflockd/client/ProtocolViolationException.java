package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * The server sent a reply that does not fit the protocol (wrong field count, unparsable number,
 * oversized line, …). The connection is closed, since its framing can no longer be trusted.
 */
public class ProtocolViolationException extends DflockdException {
    private static final long serialVersionUID = 1L;

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     */
    public ProtocolViolationException(InetSocketAddress server, String message) {
        super(server, message, null);
    }

    /**
     * @param server the server that produced the error, or {@code null}
     * @param message the detail message
     * @param cause the underlying cause, or {@code null}
     */
    public ProtocolViolationException(InetSocketAddress server, String message, Throwable cause) {
        super(server, message, cause);
    }
}
