package io.dflockd.bench.load;

import java.util.List;

/** Helpers over a finished set of {@link RoundWorker}s. */
final class SessionWorkers {
    private SessionWorkers() {
    }

    /** Successful timed rounds of all workers. */
    static long completed(List<? extends RoundWorker<?>> workers) {
        long n = 0;
        for (RoundWorker<?> w : workers) {
            n += w.completed();
        }
        return n;
    }
}
