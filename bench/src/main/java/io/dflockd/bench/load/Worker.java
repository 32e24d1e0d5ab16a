package io.dflockd.bench.load;

/**
 * One load-generating thread. {@link #prepare()} (connect, warm up) runs before the clock starts;
 * {@link #measure()} is the timed part; {@link #close()} always runs.
 */
public interface Worker extends AutoCloseable {

    /** Untimed set-up: open connections, warm the JIT. A failure aborts the run. */
    void prepare() throws Exception;

    /** The timed loop. Count per-operation failures in the run's {@link ErrorTally}, don't throw. */
    void measure() throws Exception;

    @Override
    void close();
}
