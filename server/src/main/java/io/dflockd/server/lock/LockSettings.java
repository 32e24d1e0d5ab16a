package io.dflockd.server.lock;

/**
 * The lock manager's knobs (PROTOCOL.md §7.2, §7.8, §7.9).
 *
 * @param maxLocks                resources (locks and semaphores together) that may exist at once
 * @param maxWaiters              queue length per key, 0 = unlimited
 * @param defaultLeaseSeconds     lease when a request omits it
 * @param gcMaxIdleSeconds        an idle resource is collected after this long, 0 = at the next pass
 * @param autoReleaseOnDisconnect whether a closing connection frees the slots it holds
 * @param maxKeys                 counters, entries, lists and barriers that may exist at once, 0 = unlimited
 * @param maxListLength           items per list, 0 = unlimited
 */
public record LockSettings(int maxLocks, int maxWaiters, long defaultLeaseSeconds, long gcMaxIdleSeconds,
        boolean autoReleaseOnDisconnect, int maxKeys, int maxListLength) {
    /** Lock settings with the data store unlimited. */
    public LockSettings(int maxLocks, int maxWaiters, long defaultLeaseSeconds, long gcMaxIdleSeconds,
            boolean autoReleaseOnDisconnect) {
        this(maxLocks, maxWaiters, defaultLeaseSeconds, gcMaxIdleSeconds, autoReleaseOnDisconnect, 0, 0);
    }

    /** The upstream defaults. */
    public static LockSettings defaults() {
        return new LockSettings(1024, 0, 33, 60, true);
    }
}
