package io.dflockd.protocol;

/**
 * A request that violates the argument grammar. Carries the {@link ErrorCode} for logs; the wire
 * answer is always {@code error}. Stackless: bad input is expected and must stay cheap.
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    /** The protocol error code. */
    public ErrorCode code() {
        return code;
    }
}
