package io.dflockd.server.lock;

import io.dflockd.server.time.Scheduler;

/** One granted slot of a resource: token, owner and lease deadline. Mutable state is guarded by the resource. */
public final class Holder {
    enum State { LIVE, RELEASED, EXPIRED }

    final Resource resource;
    final LockOwner owner;
    final String token;
    final long fence;
    /** A read-write lock's writer; false for its readers and for lock and semaphore slots. */
    final boolean writer;
    long leaseSeconds;
    long deadline;
    volatile State state = State.LIVE;
    Scheduler.Cancellable expiryTimer = Scheduler.Cancellable.NONE;
    /** The two-phase record this grant belongs to until {@code w} collects it. */
    Waiter record;

    Holder(Resource resource, LockOwner owner, String token, long fence, boolean writer, long leaseSeconds,
            long deadline) {
        this.resource = resource;
        this.owner = owner;
        this.token = token;
        this.fence = fence;
        this.writer = writer;
        this.leaseSeconds = leaseSeconds;
        this.deadline = deadline;
    }

    /** The 32-hex token. */
    public String token() {
        return token;
    }

    /** Lease TTL in seconds at grant or last renewal. */
    public long leaseSeconds() {
        return leaseSeconds;
    }

    /** The fence encoded in the token. */
    public long fence() {
        return fence;
    }

    /** False once the slot was released or its lease ran out. */
    public boolean isLive() {
        return state == State.LIVE;
    }

    @Override
    public String toString() {
        return resource.key + "/" + token + "/" + state;
    }
}
