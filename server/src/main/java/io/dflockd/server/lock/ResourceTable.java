package io.dflockd.server.lock;

import io.dflockd.server.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The key → {@link Resource} map with its {@code --max-locks} count, the idle collector and the stats
 * snapshot. Lookups take no lock; creation races are settled by {@code putIfAbsent}; a collected
 * resource is flagged {@link Resource#removed} under its own monitor, so an operation that fetched it
 * just before collection notices and looks the key up again.
 */
final class ResourceTable {
    private final ConcurrentHashMap<String, Resource> resources = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final int maxResources;
    private final Clock clock;

    ResourceTable(int maxResources, Clock clock) {
        this.maxResources = maxResources;
        this.clock = clock;
    }

    /** The existing resource, or {@code null}. */
    Resource get(String key) {
        return resources.get(key);
    }

    /** Finds or creates the resource; {@code null} when creating it would exceed the cap. No lock held. */
    Resource getOrCreate(String key, int limit, boolean readWrite) {
        Resource r = resources.get(key);
        if (r != null) {
            return r;
        }
        if (count.incrementAndGet() > maxResources) {
            count.decrementAndGet();
            // The key may have been created meanwhile by someone else; then it is not a new resource.
            return resources.get(key);
        }
        Resource fresh = new Resource(key, limit, readWrite, clock.nanoTime());
        Resource prev = resources.putIfAbsent(key, fresh);
        if (prev != null) {
            count.decrementAndGet();
            return prev;
        }
        return fresh;
    }

    /** Removes resources with no holders and no waiters, unused for at least {@code maxIdleNanos}. */
    int collectIdle(long now, long maxIdleNanos) {
        int collected = 0;
        for (Resource r : resources.values()) {
            synchronized (r) {
                if (!r.removed && r.isIdle() && now - r.lastActivity >= maxIdleNanos) {
                    r.removed = true;
                    resources.remove(r.key, r);
                    count.decrementAndGet();
                    collected++;
                }
            }
        }
        return collected;
    }

    /** One snapshot per resource, each consistent under that resource's monitor. */
    List<ResourceSnapshot> snapshot(long now) {
        List<ResourceSnapshot> out = new ArrayList<>(resources.size());
        for (Resource r : resources.values()) {
            synchronized (r) {
                if (r.removed) {
                    continue;
                }
                long owner = 0;
                long leaseLeft = 0;
                boolean writer = false;
                for (Holder h : r.holders.values()) {
                    long left = Math.max(0, h.deadline - now);
                    if (owner == 0 || left > leaseLeft) {
                        owner = h.owner.id();
                        leaseLeft = left;
                    }
                    writer |= h.writer;
                }
                out.add(new ResourceSnapshot(r.key, r.limit, r.holders.size(), r.queued, owner, leaseLeft,
                        Math.max(0, now - r.lastActivity), r.readWrite, writer));
            }
        }
        return out;
    }

    /** Every live resource (snapshots are written on the cluster's apply thread, with no writer running). */
    Iterable<Resource> all() {
        return resources.values();
    }

    /** Puts a resource read from a snapshot into an empty table. */
    void restore(Resource r) {
        resources.put(r.key, r);
        count.incrementAndGet();
    }

    int size() {
        return count.get();
    }
}
