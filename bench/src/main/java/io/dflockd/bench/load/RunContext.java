package io.dflockd.bench.load;

import io.dflockd.bench.report.RunResult;
import io.dflockd.bench.report.ServerUsage;
import io.dflockd.bench.wire.ClientKind;
import io.dflockd.bench.wire.Endpoints;
import io.dflockd.bench.wire.Session;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every workload shares: where the servers are, which client to drive them with, the
 * optional server process to meter, and how many untimed warm-up rounds to run.
 *
 * @param server the server process to read CPU and RSS from, or {@code null}
 * @param warmup untimed rounds each worker runs before the clock starts
 */
public record RunContext(Endpoints endpoints, ClientKind client, ServerUsage server, int warmup) {

    /** A session to the server that owns {@code key}. */
    public Session open(String key) throws IOException {
        return client.open(endpoints, endpoints.serverFor(key));
    }

    /** A session to the first server (unsharded traffic). */
    public Session openFirst() throws IOException {
        return client.open(endpoints, endpoints.first());
    }

    /** Starts metering the server's CPU. */
    public CpuMeter cpuMeter() {
        return new CpuMeter(server);
    }

    /** A result pre-filled with the workload, client and servers. */
    public RunResult result(String workload) {
        return new RunResult(workload, client.description(), endpoints.toString());
    }

    /** The 1/5/15-minute load averages, so noisy figures on a shared box can be judged. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
