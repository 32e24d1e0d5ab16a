package io.dflockd.server.net;

import io.dflockd.protocol.Reply;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.Status;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.WaitListener;
import java.util.EnumMap;

/**
 * The lock and semaphore commands of one connection (PROTOCOL.md §6.1-6.6): typed requests in,
 * lock-manager outcomes out, and the reply of each outcome. A blocking call returns
 * {@link Outcome.Kind#PENDING}; its final outcome goes to the connection's {@link WaitListener}.
 * The HTTP session API runs its requests through here too.
 */
public final class LockCommands {
    private static final EnumMap<Outcome.Kind, Reply> STATUS_REPLIES = new EnumMap<>(Outcome.Kind.class);

    static {
        bare(Outcome.Kind.QUEUED, Status.QUEUED);
        bare(Outcome.Kind.RELEASED, Status.OK);
        bare(Outcome.Kind.TIMEOUT, Status.TIMEOUT);
        bare(Outcome.Kind.ERROR, Status.ERROR);
        bare(Outcome.Kind.MAX_LOCKS, Status.ERROR_MAX_LOCKS);
        bare(Outcome.Kind.MAX_WAITERS, Status.ERROR_MAX_WAITERS);
        bare(Outcome.Kind.LIMIT_MISMATCH, Status.ERROR_LIMIT_MISMATCH);
        bare(Outcome.Kind.NOT_ENQUEUED, Status.ERROR_NOT_ENQUEUED);
        bare(Outcome.Kind.ALREADY_ENQUEUED, Status.ERROR_ALREADY_ENQUEUED);
        bare(Outcome.Kind.LEASE_EXPIRED, Status.ERROR_LEASE_EXPIRED);
    }

    private static void bare(Outcome.Kind kind, Status status) {
        STATUS_REPLIES.put(kind, Reply.Bare.of(status));
    }

    private final LockManager locks;
    private final LockOwner owner;
    private final WaitListener waits;

    public LockCommands(LockManager locks, LockOwner owner, WaitListener waits) {
        this.locks = locks;
        this.owner = owner;
        this.waits = waits;
    }

    /** Whether {@code r} is one of this handler's commands. */
    static boolean handles(Request r) {
        return r instanceof Request.Acquire || r instanceof Request.Release || r instanceof Request.Renew
                || r instanceof Request.Enqueue || r instanceof Request.Wait || r instanceof Request.Keep;
    }

    /** Runs a lock-family request (see {@link #handles}). */
    public Outcome execute(Request r) {
        if (r instanceof Request.Acquire a) {
            return locks.acquire(owner, a.key(), a.limit(), a.timeoutSeconds(), a.leaseSeconds(), waits);
        }
        if (r instanceof Request.Release rel) {
            return locks.release(rel.key(), rel.token());
        }
        if (r instanceof Request.Renew n) {
            return locks.renew(n.key(), n.token(), n.leaseSeconds());
        }
        if (r instanceof Request.Keep k) {
            return locks.keep(k.key(), k.token(), k.leaseSeconds());
        }
        if (r instanceof Request.Enqueue e) {
            return locks.enqueue(owner, e.key(), e.limit(), e.leaseSeconds());
        }
        if (r instanceof Request.Wait w) {
            return locks.await(owner, w.key(), w.timeoutSeconds(), waits);
        }
        throw new IllegalArgumentException("not a lock command: " + r.command());
    }

    /** The reply of a final outcome (not PENDING). */
    static Reply replyOf(Outcome o) {
        return switch (o.kind()) {
            case GRANTED -> new Reply.Granted(Status.OK, o.token(), o.seconds());
            case ACQUIRED -> new Reply.Granted(Status.ACQUIRED, o.token(), o.seconds());
            case RENEWED -> new Reply.Numeric(o.seconds());
            case PENDING -> throw new IllegalArgumentException("a pending outcome has no reply yet");
            default -> STATUS_REPLIES.get(o.kind());
        };
    }
}
