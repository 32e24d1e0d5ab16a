package io.dflockd.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs workers on their own threads in two phases: everyone prepares, then everyone starts the
 * timed phase together. The clock covers exactly the interval from the common start to the last
 * worker finishing, with the server's CPU sampled at the same two instants.
 */
public final class WorkerPool {
    private final RunContext context;

    public WorkerPool(RunContext context) {
        this.context = context;
    }

    /** What the timed phase took. */
    public record Timing(long elapsedNanos, Double serverCpuSeconds) {
    }

    /**
     * Prepares and runs {@code workers}; a preparation failure aborts the run with an
     * {@link IllegalStateException} naming it. Closes every worker before returning.
     */
    public Timing run(List<? extends Worker> workers, ErrorTally errors) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(workers.size());
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(workers.size());
        AtomicReference<Exception> prepareFailure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>(workers.size());
        for (int i = 0; i < workers.size(); i++) {
            Worker w = workers.get(i);
            Thread t = new Thread(() -> {
                try {
                    try {
                        w.prepare();
                    } catch (Exception e) {
                        prepareFailure.compareAndSet(null, e);
                    }
                    ready.countDown();
                    go.await();
                    if (prepareFailure.get() == null) {
                        w.measure();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    errors.add("worker failed", e);
                } finally {
                    done.countDown();
                }
            }, "bench-worker-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        try {
            threads.forEach(Thread::start);
            ready.await();
            Exception failure = prepareFailure.get();
            if (failure != null) {
                go.countDown();
                throw new IllegalStateException("set-up failed: " + failure.getMessage(), failure);
            }
            CpuMeter cpu = context.cpuMeter();
            long t0 = System.nanoTime();
            go.countDown();
            done.await();
            long elapsed = System.nanoTime() - t0;
            return new Timing(elapsed, cpu.stop());
        } finally {
            done.await();
            workers.forEach(Worker::close);
        }
    }
}
