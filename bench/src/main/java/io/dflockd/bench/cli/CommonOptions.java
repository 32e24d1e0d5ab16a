package io.dflockd.bench.cli;

import io.dflockd.bench.load.RunContext;
import io.dflockd.bench.report.Reporter;
import io.dflockd.bench.report.RunResult;
import io.dflockd.bench.report.ServerUsage;
import io.dflockd.bench.wire.ClientKind;
import io.dflockd.bench.wire.Endpoints;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every workload takes: where the servers are, which client, output format, metering. */
public final class CommonOptions {
    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "Server host (default: ${DEFAULT-VALUE}); ignored with --servers.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "6388",
            description = "Server port (default: ${DEFAULT-VALUE}); ignored with --servers.")
    int port;

    @Option(names = "--servers", paramLabel = "H:P[,H:P...]",
            description = "Several servers; keys are sharded over them with CRC-32 like every client.")
    String servers;

    @Option(names = "--cluster", paramLabel = "H:P[,H:P...]",
            description = "One dflockd cluster's members: the library client starts at any member and follows "
                    + "redirects (not with --raw or --servers).")
    String cluster;

    @Option(names = "--raw", description = "Drive the load with raw sockets instead of the Java client library.")
    boolean raw;

    @Option(names = "--json", description = "Print each result as one JSON object per line.")
    boolean json;

    @Option(names = "--server-pid", paramLabel = "PID",
            description = "Server process to meter (CPU from /proc/PID/stat, RSS from /proc/PID/status).")
    Long serverPid;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "200",
            description = "Untimed rounds per worker before the clock starts (default: ${DEFAULT-VALUE}).")
    int warmup;

    /** Validates the options and builds the run context (connects nowhere yet). */
    RunContext context() {
        Check.atLeast("--warmup", warmup, 0);
        ServerUsage process = serverPid == null ? null : ServerUsage.attach(Check.atLeast("--server-pid", serverPid, 1));
        return new RunContext(endpoints(), raw ? ClientKind.RAW : ClientKind.LIBRARY, process, warmup);
    }

    private Endpoints endpoints() {
        if (cluster != null) {
            if (servers != null || raw) {
                throw new Check.BadOptionException("--cluster: not with " + (raw ? "--raw (raw sockets do not follow "
                        + "a cluster's redirects)" : "--servers"));
            }
            try {
                return Endpoints.cluster(cluster.split(",", -1));
            } catch (IllegalArgumentException e) {
                throw new Check.BadOptionException("--cluster: " + e.getMessage());
            }
        }
        if (servers == null) {
            return new Endpoints(List.of(HostPorts.of("--port", host, port)));
        }
        List<InetSocketAddress> list = new ArrayList<>();
        for (String s : servers.split(",", -1)) {
            list.add(HostPorts.parse("--servers", s.trim()));
        }
        return new Endpoints(list);
    }

    void print(RunResult r, PrintWriter out) {
        Reporter.print(r, json, out);
    }
}
