package io.dflockd.spring.boot;

import io.dflockd.spring.DflockdLockListener;
import io.dflockd.spring.DflockdLockRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Client-side metrics of a {@link DflockdLockRegistry}, as a Micrometer {@link MeterBinder} that is
 * also the registry's {@link DflockdLockListener}:
 *
 * <ul>
 *   <li>{@code dflockd.lock.acquire} (timer, tag {@code outcome}: {@code acquired}, {@code not_acquired},
 *       {@code failed}): time spent in each distributed acquisition (not the nested ones);
 *   <li>{@code dflockd.lock.renewals} (counter, tag {@code outcome}: {@code success}, {@code failure}):
 *       explicit renewals ({@code renewLock}); the client's background renewals are not visible to it;
 *   <li>{@code dflockd.lock.leases.lost} (counter): held leases lost (refused or failed renewal, lost
 *       connection, passed deadline), not released;
 *   <li>{@code dflockd.locks.held} (gauge): the registry's locks held now with a proven lease.
 * </ul>
 */
public class DflockdLockMetrics implements MeterBinder, DflockdLockListener {
    private final Supplier<DflockdLockRegistry> registry;
    private final List<MeterRegistry> bound = new CopyOnWriteArrayList<>();

    /** Metrics of the registry {@code registry} supplies (asked when bound, so it may be lazy). */
    public DflockdLockMetrics(Supplier<DflockdLockRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        Gauge.builder("dflockd.locks.held", registry, r -> r.get().heldCount())
                .description("Locks of the registry held now with a proven lease").register(meters);
        for (String outcome : List.of("acquired", "not_acquired", "failed")) {
            acquireTimer(meters, outcome);
        }
        renewals(meters, "success");
        renewals(meters, "failure");
        lost(meters);
        bound.add(meters);
    }

    @Override
    public void acquired(String key, Duration waited) {
        bound.forEach(m -> acquireTimer(m, "acquired").record(waited));
    }

    @Override
    public void notAcquired(String key, Duration waited) {
        bound.forEach(m -> acquireTimer(m, "not_acquired").record(waited));
    }

    @Override
    public void acquireFailed(String key, Duration waited, Throwable cause) {
        bound.forEach(m -> acquireTimer(m, "failed").record(waited));
    }

    @Override
    public void renewed(String key) {
        bound.forEach(m -> renewals(m, "success").increment());
    }

    @Override
    public void renewFailed(String key, Throwable cause) {
        bound.forEach(m -> renewals(m, "failure").increment());
    }

    @Override
    public void leaseLost(String key, Throwable cause) {
        bound.forEach(m -> lost(m).increment());
    }

    private static Timer acquireTimer(MeterRegistry m, String outcome) {
        return Timer.builder("dflockd.lock.acquire").tag("outcome", outcome)
                .description("Distributed lock acquisitions through the registry").register(m);
    }

    private static Counter renewals(MeterRegistry m, String outcome) {
        return Counter.builder("dflockd.lock.renewals").tag("outcome", outcome)
                .description("Explicit lease renewals (renewLock)").register(m);
    }

    private static Counter lost(MeterRegistry m) {
        return Counter.builder("dflockd.lock.leases.lost").description("Held leases lost, not released").register(m);
    }
}
