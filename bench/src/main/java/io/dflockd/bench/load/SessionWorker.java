package io.dflockd.bench.load;

import io.dflockd.bench.wire.Session;
import io.dflockd.client.DflockdIOException;
import java.io.IOException;

/**
 * A worker running numbered rounds on {@code C} sessions to the server owning its key, using them
 * in turn. Warm-up rounds run untimed in {@link #prepare()}. A failed round is counted and, after an
 * I/O failure, its session is replaced, so one dropped connection costs an error, not the run.
 */
abstract class SessionWorker implements Worker {
    protected final RunContext context;
    protected final ErrorTally errors;
    protected final String key;
    private final Session[] sessions;
    private final int rounds;
    /** False during warm-up: rounds then record nothing. */
    protected boolean timing;
    /** Timed rounds that succeeded. */
    private long completed;

    SessionWorker(RunContext context, ErrorTally errors, String key, int connections, int rounds) {
        this.context = context;
        this.errors = errors;
        this.key = key;
        this.sessions = new Session[connections];
        this.rounds = rounds;
    }

    @Override
    public void prepare() throws Exception {
        for (int i = 0; i < sessions.length; i++) {
            sessions[i] = context.open(key);
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
        int i = r % sessions.length;
        try {
            return round(r, sessions[i]);
        } catch (IOException | DflockdIOException e) {
            errors.add(key, e);
            sessions[i].close();
            try {
                sessions[i] = context.open(key);
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
    protected abstract boolean round(int r, Session s) throws IOException;

    /** Called once after the timed rounds: merge local histograms into the run's. */
    protected abstract void finish();

    @Override
    public void close() {
        for (Session s : sessions) {
            if (s != null) {
                s.close();
            }
        }
    }
}
