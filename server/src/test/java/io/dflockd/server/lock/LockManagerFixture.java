package io.dflockd.server.lock;

import io.dflockd.server.time.ManualTime;

/** A lock manager on a manual clock with counting fences (101, 102, …), and connections to use it. */
abstract class LockManagerFixture {
    final ManualTime time = new ManualTime();
    /** One allocator for every manager of a test, as a cluster seeds a restored replica's from the snapshot. */
    final CountingFences fences = new CountingFences();
    LockManager mgr = manager(new LockSettings(1024, 0, 33, 60, true));
    private long nextConn = 1;

    LockManager manager(LockSettings s) {
        return new LockManager(s, time, time, fences);
    }

    LockOwner conn() {
        return new LockOwner(nextConn++);
    }
}
