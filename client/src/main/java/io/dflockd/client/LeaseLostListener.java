package io.dflockd.client;

/**
 * Told when background renewal of a held lock or semaphore slot fails, which means the lease is no
 * longer held (the client has closed its connection; with the server's default auto-release the
 * slot is free at once). Nothing re-acquires automatically.
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
     * @param cause why renewal failed: a {@link DflockdException} (server refused, I/O failure, …)
     */
    void leaseLost(String key, String token, Throwable cause);
}
