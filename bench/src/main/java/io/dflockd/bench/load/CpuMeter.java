package io.dflockd.bench.load;

import io.dflockd.bench.report.ServerUsage;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Server CPU seconds between construction and {@link #stop()}; a no-op without a server pid. */
public final class CpuMeter {
    private final ServerUsage process;
    private final double start;

    CpuMeter(ServerUsage process) {
        this.process = process;
        this.start = process == null ? 0 : read(process);
    }

    /** CPU seconds the server used since the meter started, or {@code null} if unknown. */
    public Double stop() {
        return process == null ? null : read(process) - start;
    }

    private static double read(ServerUsage p) {
        try {
            return p.sample().cpuSeconds();
        } catch (IOException e) {
            throw new UncheckedIOException("server process " + p.pid() + " vanished", e);
        }
    }
}
