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
    /** {@code kget}, {@code lpop}/{@code rpop} and a timed-out {@code blpop}/{@code brpop}: no such value (§6.17, §6.18). */
    NIL("nil"),
    /** {@code kcas}: the entry did not hold the expected value (§6.17). */
    CAS_CONFLICT("cas_conflict"),
    /** A counter, entry, list or barrier would be created beyond {@code --max-keys} (§6.16-6.20). */
    ERROR_MAX_KEYS("error_max_keys"),
    /** A push onto a list that holds {@code --max-list-length} items (§6.18). */
    ERROR_LIST_FULL("error_list_full"),
    /** {@code bwait} with a count other than the one the barrier's first party gave (§6.20). */
    ERROR_BARRIER_COUNT_MISMATCH("error_barrier_count_mismatch"),
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
