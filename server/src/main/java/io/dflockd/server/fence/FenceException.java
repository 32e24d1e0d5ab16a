package io.dflockd.server.fence;

/**
 * A fence could not be allocated: the new ceiling could not be persisted, the counter is
 * exhausted, or the allocator is closed. The grant that asked for the fence must fail; the TCP
 * reply is the generic {@code error} (PROTOCOL.md §8.3).
 */
public class FenceException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}. */
    public FenceException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. */
    public FenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
