package io.dflockd.server.http;

import io.dflockd.protocol.StatsWriter;
import io.dflockd.server.lock.Outcome;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The HTTP answer of each lock-manager outcome: upstream's {@code OpResponse} shapes for grants,
 * {@code queued} and {@code timeout}, 204 for a release, {@code remaining_s} for a renewal, and
 * upstream's error table for the rest.
 */
final class LockReplies {
    private LockReplies() {
    }

    /**
     * @param tokenOp whether the request named a token (release, renew): then the lock manager's
     *     plain error means the token is not held ({@code 404 not_held})
     */
    static void outcome(HttpExchange ex, Outcome o, boolean tokenOp) {
        // A switch expression, so that an outcome added to Outcome.Kind without an answer here fails
        // to compile instead of leaving the HTTP request unanswered.
        Runnable answer = switch (o.kind()) {
            case GRANTED, ACQUIRED -> () -> granted(ex, o);
            case QUEUED -> () -> ex.json(HttpResponseStatus.OK, "{\"status\":\"queued\"}");
            case TIMEOUT -> () -> ex.json(HttpResponseStatus.OK, "{\"status\":\"timeout\"}");
            case RELEASED -> ex::noContent;
            case RENEWED -> () -> ex.json(HttpResponseStatus.OK, "{\"remaining_s\":" + o.seconds() + "}");
            case ERROR -> tokenOp
                    ? () -> ex.error(HttpResponseStatus.NOT_FOUND, "not_held", "no live grant of this token on this key")
                    : () -> ex.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal",
                            "the grant failed (see the server log)");
            case MAX_LOCKS -> () -> ex.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "max_locks",
                    "the server holds --max-locks keys");
            case MAX_WAITERS -> () -> ex.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "max_waiters",
                    "the key's queue holds --max-waiters requests");
            case UNAVAILABLE -> () -> ex.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable",
                    "the cluster did not commit the request in time");
            case LIMIT_MISMATCH -> () -> conflict(ex, "limit_mismatch", "the key exists with another limit");
            case TYPE_MISMATCH -> () -> conflict(ex, "type_mismatch", "the key exists as a read-write lock");
            case NOT_ENQUEUED -> () -> conflict(ex, "not_enqueued", "this session has not enqueued on this key");
            case ALREADY_ENQUEUED -> () -> conflict(ex, "already_enqueued", "this session is already enqueued on this key");
            case LEASE_EXPIRED -> () -> conflict(ex, "lease_expired",
                    "the granted lease expired before the wait collected it");
            case PENDING -> throw new IllegalArgumentException("a pending outcome has no answer yet");
            // The HTTP API has lock endpoints only (HTTP.md); no lock command ends in these.
            case DONE, NUMBER, VALUE, NIL, CAS_CONFLICT, MAX_KEYS, LIST_FULL, BARRIER_COUNT_MISMATCH ->
                throw new IllegalArgumentException("not a lock outcome: " + o.kind());
        };
        answer.run();
    }

    private static void granted(HttpExchange ex, Outcome o) {
        if (!o.holder().isLive()) {
            // the lease ran out between the grant and this answer (very short leases)
            conflict(ex, "lease_expired", "the lease expired before the grant could be answered");
            return;
        }
        StringBuilder b = new StringBuilder(96).append("{\"status\":\"")
                .append(o.kind() == Outcome.Kind.GRANTED ? "ok" : "acquired").append("\",\"token\":");
        StatsWriter.writeString(b, o.token());
        ex.json(HttpResponseStatus.OK, b.append(",\"lease_ttl_s\":").append(o.seconds()).append('}').toString());
    }

    private static void conflict(HttpExchange ex, String code, String detail) {
        ex.error(HttpResponseStatus.CONFLICT, code, detail);
    }

    static void sessionGone(HttpExchange ex) {
        ex.error(HttpResponseStatus.GONE, "session_gone", "the session is unknown, expired or deleted");
    }

    /** Nobody reads it, but the request is counted and logged with its cause. */
    static void clientCanceled(HttpExchange ex) {
        ex.error(HttpResponseStatus.REQUEST_TIMEOUT, "client_canceled", "the client went away during the long-poll");
    }

    static void badRequest(HttpExchange ex, String detail) {
        ex.error(HttpResponseStatus.BAD_REQUEST, "bad_request", detail);
    }

    static void draining(HttpExchange ex) {
        ex.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "draining", "the server is shutting down");
    }
}
