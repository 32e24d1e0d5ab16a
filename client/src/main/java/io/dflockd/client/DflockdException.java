package io.dflockd.client;

import java.net.InetSocketAddress;

/**
 * Base class of every error the client reports: one subclass per server status (PROTOCOL.md
 * §14.9), {@link DflockdIOException} for network failures and {@link ProtocolViolationException}
 * for replies that break the protocol. Unchecked, so callers catch only what they can handle.
 *
 * <p>Invalid arguments (bad keys, payloads, durations) are reported with
 * {@link IllegalArgumentException} before anything reaches the wire, and misuse of an object's
 * state (for example using a closed lock) with {@link IllegalStateException}.
 */
public class DflockdException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress server;

    /**
     * @param server the server the failed call talked to, or {@code null} if none
     * @param message the detail message; the server address is prepended when known
     * @param cause the underlying cause, or {@code null}
     */
    public DflockdException(InetSocketAddress server, String message, Throwable cause) {
        super(server == null ? message : Addresses.format(server) + ": " + message, cause);
        this.server = server;
    }

    /** The server the failed call talked to, or {@code null} when not tied to one server. */
    public InetSocketAddress server() {
        return server;
    }
}
