package io.dflockd.client;

/**
 * Reply to a low-level enqueue ({@code e} / {@code se}).
 *
 * @param status {@link EnqueueResult#ACQUIRED} or {@link EnqueueResult#QUEUED}
 * @param grant the token and lease when acquired, {@code null} when queued
 */
public record EnqueueResponse(EnqueueResult status, Grant grant) {
    /** Whether the slot was granted at once. */
    public boolean acquired() {
        return status == EnqueueResult.ACQUIRED;
    }
}
