package io.dflockd.soak;

import io.dflockd.protocol.LockKind;

/**
 * One grant as its client sees it, with the interval in which the client <em>knows</em> its lease is
 * live on the server: from the moment the grant reply was read until the request's send time plus
 * the lease minus a safety margin (the server started the lease no earlier than the send), extended
 * by successful renewals and cut short when the client releases, disconnects, or the server
 * incarnation dies. All times are {@link System#nanoTime()}.
 *
 * <p>{@code server} is the logical lock service whose holders are compared (a standalone server, or
 * the whole cluster); {@code endpoint} and {@code incarnation} name the process the grant came
 * through (the same server standalone; one node of the cluster).
 *
 * <p>{@code kind} says who may hold the key at the same time: up to {@code limit} holders of a lock
 * (limit 1) or semaphore, any number of readers of a read-write lock, or its one writer alone.
 */
final class Hold {
    final String key;
    final LockKind kind;
    /** A lock taken with {@code elect}: its holder leads the election of the key, and resigns to give it up. */
    final boolean election;
    /** The semaphore's limit, 1 for a lock; unused for a read-write lock. */
    final int limit;
    final int server;
    final int endpoint;
    final int incarnation;
    final String token;
    final long fence;
    final String holder;
    final long start;
    /** Guarded by the key's ledger monitor. */
    long end;

    Hold(String key, LockKind kind, int limit, int server, int endpoint, int incarnation, String token, long fence,
            String holder, long start, long end) {
        this(key, kind, limit, server, endpoint, incarnation, token, fence, holder, start, end, false);
    }

    /** @param election whether the grant answered {@code elect} (a lock whose holder leads; given up with {@code resign}) */
    Hold(String key, LockKind kind, int limit, int server, int endpoint, int incarnation, String token, long fence,
            String holder, long start, long end, boolean election) {
        this.key = key;
        this.election = election;
        this.kind = kind;
        this.limit = limit;
        this.server = server;
        this.endpoint = endpoint;
        this.incarnation = incarnation;
        this.token = token;
        this.fence = fence;
        this.holder = holder;
        this.start = start;
        this.end = end;
    }

    /** Whether this hold and {@code other}, of the same key, may not both be live beyond {@link #capacity()}. */
    boolean conflictsWith(Hold other) {
        return !kind.readWrite() || kind == LockKind.WRITE || other.kind == LockKind.WRITE;
    }

    /**
     * How many holds that {@link #conflictsWith conflict} with this one may be live with it, this one
     * included: the limit of a lock or semaphore; 1 for either side of a read-write lock (a reader
     * conflicts only with writers).
     */
    int capacity() {
        return kind.readWrite() ? 1 : limit;
    }

    /** The sharing rule, for messages. */
    String rule() {
        return kind.readWrite() ? "read-write: one writer or any readers" : "limit " + limit;
    }

    @Override
    public String toString() {
        return holder + (kind.readWrite() ? " " + kind.name().toLowerCase(java.util.Locale.ROOT) : "") + " fence=" + Long.toUnsignedString(fence) + " server#" + server
                + (endpoint == server ? "" : " via node#" + endpoint) + "/run" + incarnation;
    }
}
