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
        /** {@code ok} from cset, kset, kdel, kcas and a barrier that tripped (PROTOCOL.md §6.16-6.20). */
        DONE,
        /** {@code ok <n>} from incr, decr, get, llen, lpush, rpush: {@link #number()}. */
        NUMBER,
        /** {@code ok <text>} from kget, the pops and lrange (a JSON array): {@link #text()}. */
        VALUE,
        /** {@code nil}: no entry (kget), an empty list (lpop, rpop) or a blocking pop that timed out. */
        NIL,
        /** {@code cas_conflict}: kcas found another value. */
        CAS_CONFLICT,
        /** {@code error_max_keys}: a new counter, entry, list or barrier beyond {@code --max-keys}. */
        MAX_KEYS,
        /** {@code error_list_full}: a push onto a list of {@code --max-list-length} items. */
        LIST_FULL,
        /** {@code error_barrier_count_mismatch}: bwait with another count than the barrier's. */
        BARRIER_COUNT_MISMATCH,
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
    private static final Outcome DONE = new Outcome(Kind.DONE, null, 0);
    private static final Outcome NIL = new Outcome(Kind.NIL, null, 0);
    private static final Outcome CAS_CONFLICT = new Outcome(Kind.CAS_CONFLICT, null, 0);
    private static final Outcome MAX_KEYS = new Outcome(Kind.MAX_KEYS, null, 0);
    private static final Outcome LIST_FULL = new Outcome(Kind.LIST_FULL, null, 0);
    private static final Outcome BARRIER_COUNT_MISMATCH = new Outcome(Kind.BARRIER_COUNT_MISMATCH, null, 0);

    private final Kind kind;
    private final Holder holder;
    private final long seconds;
    private final String text;

    private Outcome(Kind kind, Holder holder, long seconds) {
        this(kind, holder, seconds, null);
    }

    private Outcome(Kind kind, Holder holder, long seconds, String text) {
        this.kind = kind;
        this.holder = holder;
        this.seconds = seconds;
        this.text = text;
    }

    /**
     * The shared outcome of a kind without data: DONE, NIL, CAS_CONFLICT, MAX_KEYS, LIST_FULL,
     * BARRIER_COUNT_MISMATCH, TIMEOUT, ERROR.
     *
     * @throws IllegalArgumentException for a kind that carries data or belongs to the lock manager alone
     */
    public static Outcome of(Kind kind) {
        return switch (kind) {
            case DONE -> DONE;
            case NIL -> NIL;
            case CAS_CONFLICT -> CAS_CONFLICT;
            case MAX_KEYS -> MAX_KEYS;
            case LIST_FULL -> LIST_FULL;
            case BARRIER_COUNT_MISMATCH -> BARRIER_COUNT_MISMATCH;
            case TIMEOUT -> TIMEOUT;
            case ERROR -> ERROR;
            default -> throw new IllegalArgumentException("no shared outcome for " + kind);
        };
    }

    /** {@code ok <n>}. */
    public static Outcome number(long n) {
        return new Outcome(Kind.NUMBER, null, n);
    }

    /** {@code ok <text>}; {@code text} is byte-exact Latin-1, as the server reads values. */
    public static Outcome value(String text) {
        return new Outcome(Kind.VALUE, null, 0, text);
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

    /** The number of a {@link Kind#NUMBER} outcome. */
    public long number() {
        return seconds;
    }

    /** The text of a {@link Kind#VALUE} outcome, else {@code null}. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        if (text != null) {
            return kind + " " + text;
        }
        return holder == null ? kind + (seconds != 0 ? " " + seconds : "") : kind + " " + holder;
    }
}
