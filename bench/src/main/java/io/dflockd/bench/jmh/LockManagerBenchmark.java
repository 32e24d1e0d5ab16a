package io.dflockd.bench.jmh;

import io.dflockd.server.fence.ClockSeededFenceAllocator;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.LockSettings;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.WaitListener;
import io.dflockd.server.time.Clock;
import io.dflockd.server.time.Scheduler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The lock manager without the network: uncontended acquire + release on one key, and a FIFO
 * hand-off (release → the queued waiter is granted → the releaser queues again). Timers go to a
 * scheduler that keeps nothing, so this measures the state machine, token minting included.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LockManagerBenchmark {
    private static final Scheduler NO_TIMERS = (task, delay) -> Scheduler.Cancellable.NONE;

    private LockManager locks;
    private final LockOwner a = new LockOwner(1);
    private final LockOwner b = new LockOwner(2);
    /** Token of each owner's current grant, written by the wait listeners. */
    private final String[] tokens = new String[2];
    private int holder;
    private WaitListener toA;
    private WaitListener toB;

    @Setup
    public void setUp() {
        locks = new LockManager(new LockSettings(1 << 20, 0, 33, 60, true), Clock.SYSTEM, NO_TIMERS,
                new ClockSeededFenceAllocator(System::currentTimeMillis));
        toA = o -> granted(0, o);
        toB = o -> granted(1, o);
        // Hand-off state: a holds "handoff", b waits behind it.
        tokens[0] = locks.acquire(a, "handoff", 1, 0, 0, toA).token();
        if (locks.acquire(b, "handoff", 1, 3600, 0, toB).kind() != Outcome.Kind.PENDING) {
            throw new IllegalStateException("b should be queued");
        }
        holder = 0;
    }

    private void granted(int who, Outcome o) {
        if (o.kind() != Outcome.Kind.GRANTED) {
            throw new IllegalStateException("unexpected outcome " + o);
        }
        tokens[who] = o.token();
    }

    @Benchmark
    public Outcome acquireRelease() {
        Outcome g = locks.acquire(a, "uncontended", 1, 0, 0, toA);
        return locks.release("uncontended", g.token());
    }

    /** One FIFO hand-off: the holder releases, the waiter is granted, the old holder queues again. */
    @Benchmark
    public String handOff() {
        int from = holder;
        int to = 1 - from;
        LockOwner releaser = from == 0 ? a : b;
        locks.release("handoff", tokens[from]);
        locks.waitFinished(to == 0 ? a : b);
        locks.acquire(releaser, "handoff", 1, 3600, 0, from == 0 ? toA : toB);
        holder = to;
        return tokens[to];
    }
}
