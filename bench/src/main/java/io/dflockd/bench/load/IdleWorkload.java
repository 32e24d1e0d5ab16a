package io.dflockd.bench.load;

import io.dflockd.bench.report.RunResult;
import io.dflockd.bench.report.ServerUsage;
import io.dflockd.bench.wire.LineSocket;
import io.dflockd.bench.wire.Wire;
import io.dflockd.protocol.Reply;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.Status;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code idle}: the server's footprint at rest. Opens N connections, takes K locks spread over
 * them (key i on connection i mod N, long lease), then holds everything for a while, pinging each
 * connection often enough to stay inside the read timeout. With {@code --server-pid} it reports the
 * server's RSS at each stage and its CPU time while idle. Always raw sockets: the server's cost of
 * a connection does not depend on the client library, and this way no thread per connection is
 * needed here.
 */
public final class IdleWorkload {
    private static final byte[] PING = Wire.encode(new Request.Ping());
    private static final Reply OK = new Reply.Bare(Status.OK);

    /**
     * @param setupThreads threads that open connections and take locks in parallel
     * @param pingIntervalSeconds keep-alive period; must be below the server's read timeout
     */
    public record Params(int connections, int locks, long leaseSeconds, long holdSeconds,
            long pingIntervalSeconds, int setupThreads, String keyPrefix) {
    }

    private IdleWorkload() {
    }

    public static RunResult run(RunContext ctx, Params p) throws Exception {
        RunResult result = new RunResult("idle", "raw sockets (idle always uses raw sockets)",
                ctx.endpoints().toString())
                .parameter("connections", p.connections()).parameter("locks", p.locks())
                .parameter("lease_s", p.leaseSeconds()).parameter("hold_s", p.holdSeconds());
        if (p.connections() < 1) {
            throw new IllegalArgumentException("idle needs at least one connection");
        }
        String before = RunContext.loadAverage();
        ErrorTally errors = new ErrorTally();
        ServerUsage server = ctx.server();
        Double rssBefore = rss(server, result, "rss_before_mb");
        LineSocket[] conns = new LineSocket[p.connections()];
        ExecutorService pool = Executors.newFixedThreadPool(p.setupThreads());
        CpuMeter setupCpu = ctx.cpuMeter();
        long t0 = System.nanoTime();
        try {
            parallel(pool, p.setupThreads(), conns.length, i -> conns[i] = connect(ctx, p, i));
            Double rssConnected = rss(server, result, "rss_connections_mb");
            parallel(pool, p.setupThreads(), p.locks(), i -> acquire(conns[i % conns.length], p, i, errors));
            long setupNanos = System.nanoTime() - t0;
            result.throughput("connects+acquires", (long) p.connections() + p.locks(), setupNanos);
            Double cpu = setupCpu.stop();
            if (cpu != null) {
                result.serverCpuSeconds(cpu);
            }
            rss(server, result, "rss_connections_and_locks_mb");
            CpuMeter idleCpu = ctx.cpuMeter();
            hold(pool, p, conns, errors);
            Double idle = idleCpu.stop();
            if (idle != null) {
                result.figure("server_cpu_while_idle_s", idle);
            }
            rss(server, result, "rss_end_mb");
            if (rssBefore != null) {
                result.figure("rss_per_connection_kb", (rssConnected - rssBefore) * 1024 / p.connections());
            }
        } finally {
            pool.shutdownNow();
            for (LineSocket c : conns) {
                if (c != null) {
                    c.close();
                }
            }
        }
        result.errors(errors.count(), errors.first());
        result.loadAverage(before, RunContext.loadAverage());
        return result;
    }

    private static LineSocket connect(RunContext ctx, Params p, int i) throws IOException {
        InetSocketAddress server = ctx.endpoints().serverFor(p.keyPrefix() + i);
        return LineSocket.connect(server);
    }

    private static void acquire(LineSocket c, Params p, int i, ErrorTally errors) throws IOException {
        String key = p.keyPrefix() + i;
        synchronized (c) {
            c.send(Wire.encode(Request.Acquire.lock(key, 0, p.leaseSeconds())));
            c.readLine();
            if (!(c.reply() instanceof Reply.Granted g && g.status() == Status.OK)) {
                errors.add("l " + key + ": " + c.lineText(0));
            }
        }
    }

    /** Holds for the configured time, pinging every connection once per interval. */
    private static void hold(ExecutorService pool, Params p, LineSocket[] conns, ErrorTally errors) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(p.holdSeconds());
        long interval = TimeUnit.SECONDS.toNanos(p.pingIntervalSeconds());
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, interval));
            if (end - System.nanoTime() <= 0) {
                return;
            }
            parallel(pool, p.setupThreads(), conns.length, i -> {
                LineSocket c = conns[i];
                synchronized (c) {
                    c.send(PING);
                    c.readLine();
                    if (!OK.equals(c.reply())) {
                        errors.add("ping: " + c.lineText(0));
                    }
                }
            });
        }
    }

    /** Records the server's RSS in MiB under {@code name}; {@code null} without a server pid. */
    private static Double rss(ServerUsage server, RunResult result, String name) throws IOException {
        if (server == null) {
            return null;
        }
        double mb = server.sample().rssBytes() / (1024.0 * 1024.0);
        result.figure(name, mb);
        return mb;
    }

    private interface IndexedTask {
        void run(int i) throws IOException;
    }

    /** Runs {@code task(0..n-1)} split into contiguous ranges over {@code threads} threads. */
    private static void parallel(ExecutorService pool, int threads, int n, IndexedTask task) throws Exception {
        List<Future<?>> futures = new ArrayList<>();
        int chunk = (n + threads - 1) / threads;
        for (int t = 0; t < threads; t++) {
            int from = t * chunk;
            int to = Math.min(n, from + chunk);
            futures.add(pool.submit(() -> {
                for (int i = from; i < to; i++) {
                    task.run(i);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
    }
}
