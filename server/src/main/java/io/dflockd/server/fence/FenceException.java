package io.dflockd.server.fence;

/** A fence could not be allocated; the grant fails with the generic {@code error} reply. */
public class FenceException extends Exception {
    private static final long serialVersionUID = 1L;

    public FenceException(String message, Throwable cause) {
        super(message, cause);
    }

    public FenceException(String message) {
        super(message);
    }
}
