package io.dflockd.protocol;

/**
 * Server-internal protocol error codes (PROTOCOL.md §11.2). They appear only in server logs; on the
 * wire every one of them is the single word {@code error}.
 */
public enum ErrorCode {
    UNKNOWN_COMMAND(3, "unknown command", false),
    NOT_AN_INTEGER(4, "not an integer", false),
    BAD_KEY(5, "invalid key", false),
    BAD_TIMEOUT(6, "invalid timeout", false),
    EMPTY_TOKEN(7, "empty token", false),
    BAD_ARGUMENTS(8, "wrong number of arguments", false),
    BAD_LEASE(9, "invalid lease ttl", false),
    READ_TIMEOUT(10, "read timeout", true),
    DISCONNECTED(11, "client disconnected", true),
    LINE_TOO_LONG(12, "line too long", true),
    BAD_LIMIT(13, "invalid limit", false);

    private final int code;
    private final String description;
    private final boolean fatal;

    ErrorCode(int code, String description, boolean fatal) {
        this.code = code;
        this.description = description;
        this.fatal = fatal;
    }

    /** The numeric code, as upstream logs it. */
    public int code() {
        return code;
    }

    /** Short human-readable description. */
    public String description() {
        return description;
    }

    /** Whether the server closes the connection after this error. */
    public boolean fatal() {
        return fatal;
    }
}
