package io.dflockd.server.lock;

/**
 * One resource as {@code stats} reports it.
 *
 * @param key            the key (byte-exact Latin-1 string)
 * @param limit          1 for a lock
 * @param holders        current holders
 * @param waiters        queued waiters
 * @param ownerConnId    connection id of the holder with the longest lease left, 0 if none
 * @param leaseLeftNanos that holder's remaining lease, 0 if none
 * @param idleNanos      time since the last activity
 */
public record ResourceSnapshot(String key, int limit, int holders, int waiters, long ownerConnId,
        long leaseLeftNanos, long idleNanos) {
    /** Whether stats lists this resource as active rather than idle. */
    public boolean active() {
        return holders > 0 || waiters > 0;
    }
}
