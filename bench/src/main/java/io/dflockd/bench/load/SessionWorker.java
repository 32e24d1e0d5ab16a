package io.dflockd.bench.load;

import io.dflockd.bench.wire.Session;
import java.io.IOException;

/** A {@link RoundWorker} on lock {@link Session}s of the run's client kind (library or raw). */
abstract class SessionWorker extends RoundWorker<Session> {

    SessionWorker(RunContext context, ErrorTally errors, String key, int connections, int rounds) {
        super(context, errors, key, connections, rounds);
    }

    @Override
    protected Session open() throws IOException {
        return context.open(key);
    }
}
