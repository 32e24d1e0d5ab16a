package io.dflockd.soak;

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
 */
final class Hold {
    final String key;
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

    Hold(String key, int limit, int server, int endpoint, int incarnation, String token, long fence, String holder,
            long start, long end) {
        this.key = key;
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

    @Override
    public String toString() {
        return holder + " fence=" + Long.toUnsignedString(fence) + " server#" + server
                + (endpoint == server ? "" : " via node#" + endpoint) + "/run" + incarnation;
    }
}
