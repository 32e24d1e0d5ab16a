package io.dflockd.spring;

import java.time.Duration;

/**
 * What a {@link DflockdLockRegistry} can observe of its own locks, told as it happens (for metrics:
 * {@link io.dflockd.spring.boot.DflockdLockMetrics}). Only distributed acquisitions are told, not a
 * thread's nested (reentrant) ones; renewals only when explicit ({@code renewLock}), because the
 * client renews in the background without telling anyone. Methods run on the calling thread (the
 * loss on a client thread) and must be quick and must not throw.
 */
public interface DflockdLockListener {
    /** Told nothing. */
    DflockdLockListener NONE = new DflockdLockListener() { };

    /** The lock on {@code key} was acquired after {@code waited}. */
    default void acquired(String key, Duration waited) {
    }

    /** The lock on {@code key} was not acquired: the try-lock found it taken, or the wait timed out. */
    default void notAcquired(String key, Duration waited) {
    }

    /** Acquiring the lock on {@code key} failed with {@code cause} (I/O, server error, interruption). */
    default void acquireFailed(String key, Duration waited, Throwable cause) {
    }

    /** An explicit renewal of the lock on {@code key} succeeded. */
    default void renewed(String key) {
    }

    /** An explicit renewal of the lock on {@code key} failed (and the lease with it). */
    default void renewFailed(String key, Throwable cause) {
    }

    /** The lease of a held lock on {@code key} was lost (not released): {@code cause} says why. */
    default void leaseLost(String key, Throwable cause) {
    }
}
