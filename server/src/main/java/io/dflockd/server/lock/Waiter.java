package io.dflockd.server.lock;

import io.dflockd.server.time.Scheduler;

/**
 * A queued request for a slot: a blocking l/sl/rl/wl, or a two-phase record created by e/se/re/we. Linked into
 * its resource's FIFO queue intrusively so removal from the middle (timeout, disconnect) is O(1).
 * All fields are guarded by the resource's monitor; {@code state} is volatile for cheap reads.
 */
final class Waiter {
    enum State { QUEUED, GRANTED, CANCELLED }

    final Resource resource;
    final LockOwner owner;
    final long leaseSeconds;
    final boolean twoPhase;
    /** A read-write lock's writer (wl, we); false for readers and for lock and semaphore requests. */
    final boolean writer;
    /** When it was requested (the manager's clock), for the wait-time metric. */
    final long since;
    /** An {@code elect}: its grant is told to watchers as {@code elect} (PROTOCOL.md §9.14). */
    boolean elect;
    volatile State state = State.QUEUED;
    Holder holder;
    WaitListener listener;
    Scheduler.Cancellable timeout = Scheduler.Cancellable.NONE;
    /** When a blocking call's timeout falls due (the manager's clock); kept so a snapshot can re-arm it. */
    long timeoutAt;
    Waiter prev;
    Waiter next;

    Waiter(Resource resource, LockOwner owner, long leaseSeconds, boolean twoPhase, boolean writer, long since) {
        this.resource = resource;
        this.owner = owner;
        this.leaseSeconds = leaseSeconds;
        this.twoPhase = twoPhase;
        this.writer = writer;
        this.since = since;
    }
}
