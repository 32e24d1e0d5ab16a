package io.dflockd.client;

import io.dflockd.protocol.Reply;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.Stats;
import io.dflockd.protocol.Status;
import java.net.InetSocketAddress;

/**
 * What the client makes of a reply line: the typed {@link Reply} of the codec, checked against the
 * shape the request expects, and the status-to-exception mapping of PROTOCOL.md §14.9.
 */
final class Replies {
    private Replies() {
    }

    /** How messages name a request: {@code l my-key}, {@code stats}. */
    static String describe(Request r) {
        // a stable ref is kept out of messages, like a secret (PROTOCOL.md §6.13)
        return r.key().equals(Request.NO_KEY) && !r.command().keyed() || r instanceof Request.StableRef
                ? r.command().wire() : r.command().wire() + " " + r.key();
    }

    /** {@code <status> <token> <lease>} with {@code status} {@code ok} or {@code acquired}. */
    static Grant grant(String line, Status status, InetSocketAddress server, String request) {
        if (parse(line, server, request) instanceof Reply.Granted g && g.status() == status) {
            return new Grant(g.token(), g.leaseSeconds());
        }
        throw unexpected(line, server, request, "'" + status.wire() + " <token> <lease>'");
    }

    /** {@code ok <n>}. */
    static long okNumber(String line, InetSocketAddress server, String request) {
        if (parse(line, server, request) instanceof Reply.Numeric n) {
            return n.value();
        }
        throw unexpected(line, server, request, "'ok <number>'");
    }

    /** Exactly {@code ok} to {@code admin} or a membership command, where {@code error_auth} concerns the admin token. */
    static void membershipOk(String line, InetSocketAddress server, String request) {
        if (line.equals(Status.ERROR_AUTH.wire())) {
            throw new AuthException(server, "admin rejected (" + request + "): wrong admin token, or no admin "
                    + "token sent on this connection");
        }
        ok(line, server, request);
    }

    /** Exactly {@code ok}. */
    static void ok(String line, InetSocketAddress server, String request) {
        if (!(parse(line, server, request) instanceof Reply.Bare b && b.status() == Status.OK)) {
            throw unexpected(line, server, request, "a bare 'ok'");
        }
    }

    /** {@code acquired <token> <lease>} or {@code queued}. */
    static EnqueueResponse enqueue(String line, InetSocketAddress server, String request) {
        Reply r = parse(line, server, request);
        if (r instanceof Reply.Bare b && b.status() == Status.QUEUED) {
            return new EnqueueResponse(EnqueueResult.QUEUED, null);
        }
        if (r instanceof Reply.Granted g && g.status() == Status.ACQUIRED) {
            return new EnqueueResponse(EnqueueResult.ACQUIRED, new Grant(g.token(), g.leaseSeconds()));
        }
        throw unexpected(line, server, request, "'acquired <token> <lease>' or 'queued'");
    }

    /** {@code ok <json>}: the stats document. */
    static Stats stats(String line, InetSocketAddress server, String request) {
        if (!(parse(line, server, request) instanceof Reply.Payload p)) {
            throw unexpected(line, server, request, "'ok <json>'");
        }
        try {
            return Stats.parse(p.text());
        } catch (IllegalArgumentException e) {
            throw new ProtocolViolationException(server, "malformed stats reply: " + e.getMessage(), e);
        }
    }

    private static Reply parse(String line, InetSocketAddress server, String request) {
        try {
            return Reply.parse(line);
        } catch (IllegalArgumentException e) {
            throw violation(line, server, request, e.getMessage());
        }
    }

    /** A status the request does not hope for becomes its typed exception; a wrong shape is a violation. */
    private static DflockdException unexpected(String line, InetSocketAddress server, String request, String expected) {
        Reply r = Reply.parse(line);
        if (r instanceof Reply.Unrecognized || r instanceof Reply.NotLeader
                || r instanceof Reply.Bare b && b.status() != Status.OK) {
            return failure(line, server, request);
        }
        return violation(line, server, request, "expected " + expected);
    }

    static ProtocolViolationException violation(String line, InetSocketAddress server, String request,
            String detail) {
        return new ProtocolViolationException(server, "malformed reply " + quote(line) + " to " + request + ": "
                + detail);
    }

    /** The typed exception for a non-success reply (PROTOCOL.md §14.9). */
    static DflockdException failure(String line, InetSocketAddress server, String request) {
        int sp = line.indexOf(' ');
        String word = sp < 0 ? line : line.substring(0, sp);
        Status status = Status.fromWire(word);
        if (status == null) {
            return new ServerErrorException(server, "unknown reply " + quote(line) + " to " + request);
        }
        switch (status) {
            case TIMEOUT:
                return new AcquireTimeoutException(server, "not granted within the timeout (" + request + ")");
            case ERROR_AUTH:
                return new AuthException(server, "authentication failed (" + request
                        + "): wrong or missing auth token");
            case ERROR_MAX_LOCKS:
                return new MaxLocksException(server, "the server's lock limit is reached (" + request + ")");
            case ERROR_MAX_WAITERS:
                return new MaxWaitersException(server, "the key's waiter queue is full (" + request + ")");
            case ERROR_LIMIT_MISMATCH:
                return new LimitMismatchException(server,
                        "the key exists with a different limit (" + request + ")");
            case ERROR_TYPE_MISMATCH:
                return new TypeMismatchException(server, "the key exists as another type: a read-write lock, or a"
                        + " lock or semaphore (" + request + ")");
            case ERROR_NOT_ENQUEUED:
                return new NotEnqueuedException(server, "the key was not enqueued on this connection ("
                        + request + ")");
            case ERROR_ALREADY_ENQUEUED:
                return new AlreadyEnqueuedException(server,
                        "the key is already enqueued on this connection (" + request + ")");
            case ERROR_LEASE_EXPIRED:
                return new LeaseExpiredException(server, "the lease expired before it was handed over ("
                        + request + ")");
            case ERROR_DRAINING:
                return new DrainingException(server, "the server is shutting down (" + request + ")");
            case ERROR_MAX_KEYS:
                return new MaxKeysException(server, "the server's limit of counters, entries, lists and barriers is"
                        + " reached (" + request + ")");
            case ERROR_LIST_FULL:
                return new ListFullException(server, "the list is at the server's maximum length (" + request + ")");
            case ERROR_BARRIER_COUNT_MISMATCH:
                return new BarrierCountMismatchException(server, "the barrier is filling with another party count ("
                        + request + ")");
            case ERROR_NOT_LEADER:
                String leader = sp < 0 ? null : line.substring(sp + 1);
                return new NotLeaderException(server, "this cluster node does not lead ("
                        + (leader == null ? "no leader known" : "leader: " + quote(leader)) + "; " + request + ")",
                        leader, null);
            case ERROR:
                return new ServerErrorException(server, "the server answered " + quote(line) + " to " + request);
            default:
                return violation(line, server, request, "unexpected status");
        }
    }

    static String quote(String line) {
        return "'" + (line.length() > 120 ? line.substring(0, 120) + "…" : line) + "'";
    }
}
