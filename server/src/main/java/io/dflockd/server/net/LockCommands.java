package io.dflockd.server.net;

import io.dflockd.protocol.Reply;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.Status;
import io.dflockd.server.lock.LockRequests;
import io.dflockd.server.lock.Outcome;
import java.util.EnumMap;

/**
 * The replies of the lock, semaphore and read-write lock commands (PROTOCOL.md §6.1-6.6, §6.14): one reply per final
 * outcome, shared constants for the bare statuses. Requests themselves run in the connection's
 * {@link io.dflockd.server.lock.LockSession}.
 */
final class LockCommands {
    private static final EnumMap<Outcome.Kind, Reply> STATUS_REPLIES = new EnumMap<>(Outcome.Kind.class);

    static {
        bare(Outcome.Kind.QUEUED, Status.QUEUED);
        bare(Outcome.Kind.RELEASED, Status.OK);
        bare(Outcome.Kind.TIMEOUT, Status.TIMEOUT);
        bare(Outcome.Kind.ERROR, Status.ERROR);
        bare(Outcome.Kind.MAX_LOCKS, Status.ERROR_MAX_LOCKS);
        bare(Outcome.Kind.MAX_WAITERS, Status.ERROR_MAX_WAITERS);
        bare(Outcome.Kind.LIMIT_MISMATCH, Status.ERROR_LIMIT_MISMATCH);
        bare(Outcome.Kind.TYPE_MISMATCH, Status.ERROR_TYPE_MISMATCH);
        bare(Outcome.Kind.NOT_ENQUEUED, Status.ERROR_NOT_ENQUEUED);
        bare(Outcome.Kind.ALREADY_ENQUEUED, Status.ERROR_ALREADY_ENQUEUED);
        bare(Outcome.Kind.LEASE_EXPIRED, Status.ERROR_LEASE_EXPIRED);
        bare(Outcome.Kind.UNAVAILABLE, Status.ERROR);
        bare(Outcome.Kind.DONE, Status.OK);
        bare(Outcome.Kind.NIL, Status.NIL);
        bare(Outcome.Kind.CAS_CONFLICT, Status.CAS_CONFLICT);
        bare(Outcome.Kind.MAX_KEYS, Status.ERROR_MAX_KEYS);
        bare(Outcome.Kind.LIST_FULL, Status.ERROR_LIST_FULL);
        bare(Outcome.Kind.BARRIER_COUNT_MISMATCH, Status.ERROR_BARRIER_COUNT_MISMATCH);
    }

    private static void bare(Outcome.Kind kind, Status status) {
        STATUS_REPLIES.put(kind, Reply.Bare.of(status));
    }

    private LockCommands() {
    }

    /** Whether {@code r} is a lock-family command. */
    static boolean handles(Request r) {
        return LockRequests.handles(r);
    }

    /** The reply of a final outcome (not PENDING). */
    static Reply replyOf(Outcome o) {
        return switch (o.kind()) {
            case GRANTED -> new Reply.Granted(Status.OK, o.token(), o.seconds());
            case ACQUIRED -> new Reply.Granted(Status.ACQUIRED, o.token(), o.seconds());
            case RENEWED -> new Reply.Numeric(o.seconds());
            case NUMBER -> new Reply.Numeric(o.number());
            case VALUE -> new Reply.Payload(o.text());
            case PENDING -> throw new IllegalArgumentException("a pending outcome has no reply yet");
            default -> STATUS_REPLIES.get(o.kind());
        };
    }
}
