package io.dflockd.bench.load;

import io.dflockd.bench.wire.DataSession;
import java.io.IOException;

/** A {@link RoundWorker} on raw {@link DataSession}s to the server that owns its key. */
abstract class DataWorker extends RoundWorker<DataSession> {

    DataWorker(RunContext context, ErrorTally errors, String key, int connections, int rounds) {
        super(context, errors, key, connections, rounds);
    }

    @Override
    protected DataSession open() throws IOException {
        return DataSession.open(context.endpoints().serverFor(key));
    }
}
