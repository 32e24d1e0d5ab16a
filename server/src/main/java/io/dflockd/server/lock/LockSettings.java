package io.dflockd.server.lock;

/**
 * The lock manager's knobs (PROTOCOL.md §7.2, §7.8, §7.9).
 *
 * @param maxLocks                resources (locks and semaphores together) that may exist at once
 * @param maxWaiters              queue length per key, 0 = unlimited
 * @param defaultLeaseSeconds     lease when a request omits it
 * @param gcMaxIdleSeconds        an idle resource is collected after this long, 0 = at the next pass
 * @param autoReleaseOnDisconnect whether a closing connection frees the slots it holds
 */
public record LockSettings(int maxLocks, int maxWaiters, long defaultLeaseSeconds, long gcMaxIdleSeconds,
        boolean autoReleaseOnDisconnect) {
    /** The upstream defaults. */
    public static LockSettings defaults() {
        return new LockSettings(1024, 0, 33, 60, true);
    }
}
