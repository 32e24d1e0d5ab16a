package io.dflockd.server.fence;

import java.io.IOException;

/**
 * Durable storage of the fence ceiling, the bound every issued fence stays below. Separate from
 * {@link FenceStateFile} so the allocator's concurrency logic can be tested with failing storage.
 * Callers serialize {@link #persist} calls.
 */
interface CeilingStore {
    /** Makes {@code ceiling} durable (written and fsynced) before returning. */
    void persist(long ceiling) throws IOException;

    /** Releases the storage; idempotent. */
    void close();
}
