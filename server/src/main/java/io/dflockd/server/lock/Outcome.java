package io.dflockd.server.lock;

/**
 * Result of a lock-manager operation. Grants carry the token and the lease in seconds; every other
 * kind is a shared constant, so the common paths allocate at most one small object.
 */
public final class Outcome {
    /** What happened; the connection layer maps each kind to its reply line. */
    public enum Kind {
        /** {@code ok <token> <lease>} from l, sl, rl, wl, w, sw, rw, ww. */
        GRANTED,
        /** {@code acquired <token> <lease>} from the e / se / re / we fast path. */
        ACQUIRED,
        /** {@code queued} from e / se. */
        QUEUED,
        /** A blocking call is waiting; its {@link WaitListener} will receive the final outcome. */
        PENDING,
        /** {@code ok} from r / sr. */
        RELEASED,
        /** {@code ok <seconds>} from n / sn. */
        RENEWED,
        TIMEOUT,
        /** Unknown key or token, failed renew, fence allocation failure. */
        ERROR,
        MAX_LOCKS,
        MAX_WAITERS,
        LIMIT_MISMATCH,
        /** A read-write lock request on a lock or semaphore key, or the other way round. */
        TYPE_MISMATCH,
        NOT_ENQUEUED,
        ALREADY_ENQUEUED,
        LEASE_EXPIRED,
        /**
         * Cluster mode: the request was not committed in time (no leader reachable). Answered
         * {@code error}, and the connection is closed because the request may still be applied.
         */
        UNAVAILABLE
    }

    static final Outcome QUEUED = new Outcome(Kind.QUEUED, null, 0);
    static final Outcome PENDING = new Outcome(Kind.PENDING, null, 0);
    static final Outcome RELEASED = new Outcome(Kind.RELEASED, null, 0);
    static final Outcome TIMEOUT = new Outcome(Kind.TIMEOUT, null, 0);
    static final Outcome ERROR = new Outcome(Kind.ERROR, null, 0);
    static final Outcome MAX_LOCKS = new Outcome(Kind.MAX_LOCKS, null, 0);
    static final Outcome MAX_WAITERS = new Outcome(Kind.MAX_WAITERS, null, 0);
    static final Outcome LIMIT_MISMATCH = new Outcome(Kind.LIMIT_MISMATCH, null, 0);
    static final Outcome TYPE_MISMATCH = new Outcome(Kind.TYPE_MISMATCH, null, 0);
    static final Outcome NOT_ENQUEUED = new Outcome(Kind.NOT_ENQUEUED, null, 0);
    static final Outcome ALREADY_ENQUEUED = new Outcome(Kind.ALREADY_ENQUEUED, null, 0);
    static final Outcome LEASE_EXPIRED = new Outcome(Kind.LEASE_EXPIRED, null, 0);
    private static final Outcome UNAVAILABLE = new Outcome(Kind.UNAVAILABLE, null, 0);

    private final Kind kind;
    private final Holder holder;
    private final long seconds;

    private Outcome(Kind kind, Holder holder, long seconds) {
        this.kind = kind;
        this.holder = holder;
        this.seconds = seconds;
    }

    /** The answer of a request whose outcome comes later, through its {@link WaitListener}. */
    public static Outcome pending() {
        return PENDING;
    }

    /** See {@link Kind#UNAVAILABLE}. */
    public static Outcome unavailable() {
        return UNAVAILABLE;
    }

    /** The plain {@code error} answer. */
    public static Outcome error() {
        return ERROR;
    }

    static Outcome granted(Holder h) {
        return new Outcome(Kind.GRANTED, h, h.leaseSeconds());
    }

    static Outcome acquired(Holder h) {
        return new Outcome(Kind.ACQUIRED, h, h.leaseSeconds());
    }

    static Outcome renewed(long seconds) {
        return new Outcome(Kind.RENEWED, null, seconds);
    }

    public Kind kind() {
        return kind;
    }

    /** The granted holder for GRANTED / ACQUIRED, else {@code null}. */
    public Holder holder() {
        return holder;
    }

    /** The token of a grant. */
    public String token() {
        return holder.token();
    }

    /** Lease seconds of a grant or a renewal. */
    public long seconds() {
        return seconds;
    }

    @Override
    public String toString() {
        return holder == null ? kind + (seconds != 0 ? " " + seconds : "") : kind + " " + holder;
    }
}
