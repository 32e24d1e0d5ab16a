package io.dflockd.server.lock;

import io.dflockd.protocol.LeaderFrame;
import io.dflockd.protocol.WatchFrame;
import io.dflockd.server.data.DataStore;
import io.dflockd.server.fence.FenceAllocator;
import io.dflockd.server.time.Clock;
import io.dflockd.server.time.Scheduler;
import java.util.function.LongSupplier;

/**
 * What the parts of one {@link LockManager} share: the key table, the settings, the injected time,
 * fences and token salts, the events and the data store. The references never change; the state they
 * reach is guarded as each class says (a resource's fields by its monitor).
 */
final class LockContext {
    final ResourceTable table;
    final LockSettings settings;
    final Clock clock;
    final Scheduler scheduler;
    final FenceAllocator fences;
    final LockEvents events;
    /** The 64-bit token salts, one per grant (see the {@link LockManager} constructor). */
    final LongSupplier salts;
    final DataStore data;

    LockContext(LockSettings settings, Clock clock, Scheduler scheduler, FenceAllocator fences, LockEvents events,
            LongSupplier salts) {
        this.salts = salts;
        this.events = events;
        this.settings = settings;
        this.clock = clock;
        this.scheduler = scheduler;
        this.fences = fences;
        this.table = new ResourceTable(settings.maxLocks(), clock);
        this.data = new DataStore(settings, clock, scheduler, events);
    }

    /** The manager's clock (the replicated apply time in cluster mode). */
    long now() {
        return clock.nanoTime();
    }

    /** The lease a request asked for, or the server default when it omitted it (0). */
    long effectiveLease(long leaseSeconds) {
        return leaseSeconds > 0 ? leaseSeconds : settings.defaultLeaseSeconds();
    }

    /** Tells the leader observers of a lock (limit 1) what just happened to it, if anyone observes it. */
    void leaderChanged(Resource r, LeaderFrame.Event event, Grants grants) {
        if (r.limit == 1 && events.watchesLeader(r.key)) {
            grants.after(events.leaderChanged(r.key, event));
        }
    }

    /** Tells the watchers of {@code r}'s key of a change (§9.14); allocates nothing when nobody watches. */
    void keyChanged(Resource r, WatchFrame.Event event, Grants grants) {
        if (events.watchesKey(r.key)) {
            grants.after(events.keyChanged(r.key, event));
        }
    }
}
