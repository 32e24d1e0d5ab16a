package io.dflockd.client;

import io.dflockd.protocol.Status;
import java.net.InetSocketAddress;

/** Parsing of reply lines and the status-to-exception mapping of PROTOCOL.md §14.9. */
final class Replies {
    private Replies() {
    }

    /** {@code ok <token> <lease>} (or {@code acquired …} when {@code status} says so), exactly 3 fields. */
    static Grant grant(String line, String status, InetSocketAddress server, String request) {
        String[] f = line.split(" ", -1);
        if (!f[0].equals(status)) {
            throw failure(line, server, request);
        }
        if (f.length != 3 || f[1].isEmpty()) {
            throw violation(line, server, request, "expected '" + status + " <token> <lease>'");
        }
        return new Grant(f[1], nonNegative(f[2], line, server, request));
    }

    /** {@code ok <n>}, exactly 2 fields, n ≥ 0. */
    static long okNumber(String line, InetSocketAddress server, String request) {
        String[] f = line.split(" ", -1);
        if (!f[0].equals("ok")) {
            throw failure(line, server, request);
        }
        if (f.length != 2) {
            throw violation(line, server, request, "expected 'ok <number>'");
        }
        return nonNegative(f[1], line, server, request);
    }

    /** Exactly {@code ok}. */
    static void ok(String line, InetSocketAddress server, String request) {
        if (!line.equals("ok")) {
            if (line.startsWith("ok ")) {
                throw violation(line, server, request, "expected a bare 'ok'");
            }
            throw failure(line, server, request);
        }
    }

    /** {@code acquired <token> <lease>} or {@code queued}. */
    static EnqueueResponse enqueue(String line, InetSocketAddress server, String request) {
        if (line.equals("queued")) {
            return new EnqueueResponse(EnqueueResult.QUEUED, null);
        }
        return new EnqueueResponse(EnqueueResult.ACQUIRED, grant(line, "acquired", server, request));
    }

    private static long nonNegative(String s, String line, InetSocketAddress server, String request) {
        try {
            long v = Long.parseLong(s);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw violation(line, server, request, "'" + s + "' is not a non-negative integer");
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
