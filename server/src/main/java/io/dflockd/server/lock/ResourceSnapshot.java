package io.dflockd.server.lock;

/**
 * One resource as {@code stats} reports it.
 *
 * @param key            the key (byte-exact Latin-1 string)
 * @param limit          1 for a lock, 0 for a read-write lock
 * @param holders        current holders (a read-write lock's readers and writer together)
 * @param waiters        queued waiters
 * @param ownerConnId    connection id of the holder with the longest lease left, 0 if none
 * @param leaseLeftNanos that holder's remaining lease, 0 if none
 * @param idleNanos      time since the last activity
 * @param readWrite      a read-write lock key (PROTOCOL.md §6.14)
 * @param writer         a read-write lock whose holder is a writer
 */
public record ResourceSnapshot(String key, int limit, int holders, int waiters, long ownerConnId,
        long leaseLeftNanos, long idleNanos, boolean readWrite, boolean writer) {
    /** A lock or semaphore. */
    public ResourceSnapshot(String key, int limit, int holders, int waiters, long ownerConnId, long leaseLeftNanos,
            long idleNanos) {
        this(key, limit, holders, waiters, ownerConnId, leaseLeftNanos, idleNanos, false, false);
    }

    /** Whether stats lists this resource as active rather than idle. */
    public boolean active() {
        return holders > 0 || waiters > 0;
    }

    /** A read-write lock's readers: its holders but the writer. */
    public int readers() {
        return writer ? holders - 1 : holders;
    }
}
