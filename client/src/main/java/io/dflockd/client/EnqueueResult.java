package io.dflockd.client;

/** Outcome of the first phase of a two-phase acquisition ({@code enqueue()}). */
public enum EnqueueResult {
    /** The slot was free: the lease is held now and renewal has started; waiting is a no-op. */
    ACQUIRED,
    /** The caller joined the FIFO queue; wait for the grant with {@code await(timeout)}. */
    QUEUED
}
