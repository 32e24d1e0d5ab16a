package io.dflockd.server.fence;

/**
 * Source of fence values, one counter per server process shared by every key (PROTOCOL.md §8.3).
 * Every lock or semaphore grant takes one fence; the fence becomes the first 16 hex characters of
 * the token, so a later grant of a key always carries a larger token.
 *
 * <p>Implementations are thread-safe and keep fences positive (at most {@link Long#MAX_VALUE}), so
 * signed and unsigned comparison agree.
 */
public interface FenceAllocator extends AutoCloseable {

    /**
     * The next fence: larger than every fence this allocator returned before, to any thread.
     * Fences need not be contiguous.
     *
     * @throws FenceException if no fence can be issued (persistence failure, counter exhausted,
     *     allocator closed); the grant must then fail
     */
    long next() throws FenceException;

    /** Releases the underlying resources (file lock, file); idempotent. */
    @Override
    void close();
}
