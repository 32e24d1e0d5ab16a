package io.dflockd.server.lock;

import io.dflockd.protocol.Request;
import java.util.List;

/** The standalone {@link LockBackend}: each session is a {@link LockOwner} of one {@link LockManager}. */
final class LocalLockBackend implements LockBackend {
    private final LockManager locks;

    LocalLockBackend(LockManager locks) {
        this.locks = locks;
    }

    @Override
    public LockSession open(long connectionId, WaitListener waits) {
        LockOwner owner = new LockOwner(connectionId);
        return new LockSession() {
            @Override
            public long id() {
                return owner.id();
            }

            @Override
            public Outcome execute(Request request) {
                return LockRequests.execute(locks, owner, request, waits);
            }

            @Override
            public void waitFinished() {
                locks.waitFinished(owner);
            }

            @Override
            public boolean cancelWait() {
                return locks.cancelWait(owner);
            }

            @Override
            public boolean isBlocked() {
                return owner.isBlocked();
            }

            @Override
            public int heldCount() {
                return owner.heldCount();
            }

            @Override
            public void disconnect() {
                locks.disconnect(owner);
            }

            @Override
            public String toString() {
                return owner.toString();
            }
        };
    }

    @Override
    public List<ResourceSnapshot> snapshot() {
        return locks.snapshot();
    }
}
