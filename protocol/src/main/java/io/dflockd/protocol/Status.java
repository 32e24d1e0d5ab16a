package io.dflockd.protocol;

import java.util.HashMap;
import java.util.Map;

/** The status word that starts every reply line (PROTOCOL.md §11.1). */
public enum Status {
    OK("ok"),
    ACQUIRED("acquired"),
    QUEUED("queued"),
    TIMEOUT("timeout"),
    ERROR("error"),
    ERROR_AUTH("error_auth"),
    ERROR_MAX_LOCKS("error_max_locks"),
    ERROR_MAX_WAITERS("error_max_waiters"),
    ERROR_LIMIT_MISMATCH("error_limit_mismatch"),
    /** A read-write lock command on a lock or semaphore key, or the other way round (PROTOCOL.md §7.1). */
    ERROR_TYPE_MISMATCH("error_type_mismatch"),
    ERROR_NOT_ENQUEUED("error_not_enqueued"),
    ERROR_ALREADY_ENQUEUED("error_already_enqueued"),
    ERROR_LEASE_EXPIRED("error_lease_expired"),
    ERROR_DRAINING("error_draining"),
    /** Cluster redirect mode: this node does not lead; the reply may name the leader ({@link Reply.NotLeader}). */
    ERROR_NOT_LEADER("error_not_leader");

    private static final Map<String, Status> BY_WIRE = new HashMap<>();

    static {
        for (Status s : values()) {
            BY_WIRE.put(s.wire, s);
        }
    }

    private final String wire;

    Status(String wire) {
        this.wire = wire;
    }

    /** The status word as written on the wire. */
    public String wire() {
        return wire;
    }

    /** Resolves a status word; {@code null} when the word is not a known status. */
    public static Status fromWire(String word) {
        return BY_WIRE.get(word);
    }
}
