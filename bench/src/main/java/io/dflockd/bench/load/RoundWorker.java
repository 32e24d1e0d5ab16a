package io.dflockd.bench.load;

import io.dflockd.bench.wire.Connection;
import io.dflockd.client.DflockdIOException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A worker running numbered rounds on {@code C} connections to the server owning its key, using them
 * in turn. Warm-up rounds run untimed in {@link #prepare()}. A failed round is counted and, after an
 * I/O failure, its connection is replaced, so one dropped connection costs an error, not the run.
 *
 * @param <S> the kind of connection a round runs on ({@link SessionWorker}: a lock {@code Session})
 */
abstract class RoundWorker<S extends Connection> implements Worker {
    protected final RunContext context;
    protected final ErrorTally errors;
    protected final String key;
    private final List<S> connections;
    private final int count;
    private final int rounds;
    /** False during warm-up: rounds then record nothing. */
    protected boolean timing;
    /** Timed rounds that succeeded. */
    private long completed;

    RoundWorker(RunContext context, ErrorTally errors, String key, int connections, int rounds) {
        this.context = context;
        this.errors = errors;
        this.key = key;
        this.connections = new ArrayList<>(connections);
        this.count = connections;
        this.rounds = rounds;
    }

    /** Opens one connection to the server that owns {@link #key}. */
    protected abstract S open() throws IOException;

    @Override
    public void prepare() throws Exception {
        for (int i = 0; i < count; i++) {
            connections.add(open());
        }
        for (int r = 0; r < context.warmup(); r++) {
            runRound(r);
        }
    }

    @Override
    public void measure() {
        timing = true;
        for (int r = 0; r < rounds; r++) {
            if (runRound(r)) {
                completed++;
            }
        }
        finish();
    }

    private boolean runRound(int r) {
        int i = r % count;
        try {
            return round(r, connections.get(i));
        } catch (IOException | DflockdIOException e) {
            errors.add(key, e);
            connections.get(i).close();
            try {
                connections.set(i, open());
            } catch (IOException again) {
                errors.add("reconnect " + key, again);
            }
        } catch (RuntimeException e) {
            errors.add(key, e);
        }
        return false;
    }

    /** Timed rounds that succeeded; read after the run. */
    long completed() {
        return completed;
    }

    /**
     * One unit of work; record latencies only while {@link #timing}.
     *
     * @return whether it succeeded (a failure that is not an exception must be counted in errors)
     */
    protected abstract boolean round(int r, S connection) throws IOException;

    /** Called once after the timed rounds: merge local histograms into the run's. */
    protected abstract void finish();

    @Override
    public void close() {
        connections.forEach(Connection::close);
    }
}
