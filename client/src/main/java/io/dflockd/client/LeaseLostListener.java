package io.dflockd.client;

/**
 * Told when a held lock or semaphore slot is lost: a renewal is refused or fails, the connection
 * that holds it ends without the application closing it, or the lease deadline passes with no
 * successful renewal. The client has then closed its connection (with the server's default
 * auto-release the slot is free at once). Nothing re-acquires automatically. The grant's
 * {@code leaseLost()} future completes at the same time.
 *
 * <p>Called on a library worker thread, at most once per grant, never while a library lock is
 * held. Exceptions it throws are logged and otherwise ignored. Do not capture the lock object in
 * the listener if you rely on the leak warning: a listener that references its lock keeps it
 * reachable.
 */
@FunctionalInterface
public interface LeaseLostListener {
    /**
     * @param key the key of the lost lock or semaphore
     * @param token the token that is no longer valid
     * @param cause why: a {@link DflockdException} (renewal refused, connection lost, lease deadline
     *     passed: {@link LeaseExpiredException}, …)
     */
    void leaseLost(String key, String token, Throwable cause);
}
