package io.dflockd.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One cluster of N nodes ({@code --cluster N}), each a child process from the server jar with its own
 * Raft directory, on loopback ports picked before the first start (a restart keeps them, so
 * {@code --cluster-peers} never changes), every Raft link through the {@link RaftProxy}. It offers the
 * faults {@link ClusterFaults} injects, one node at a time so a majority always runs: a restart
 * (SIGKILL, a pause of 1–3 s, then the same node again on the same Raft directory, possibly with extra
 * environment such as a clock skew), a pause (SIGSTOP … SIGCONT) and, through the proxy, a partition.
 *
 * <p>Each node's output is copied to {@code node-nX.log} in the run's directory and read for the
 * lines {@code "nX: the cluster's leader is now nY"} (who leads) and
 * {@code "nX: caught up from the leader's snapshot"} (that node answered its pending requests
 * {@code error}).
 */
final class ClusterNodes implements Servers {
    private static final Pattern LEADER = Pattern.compile("(n\\d+): the cluster's leader is now (\\S+)");
    private static final Pattern CAUGHT_UP = Pattern.compile("(n\\d+): caught up from the leader's snapshot");
    private static final long FIRST_LEADER_TIMEOUT_NANOS = 60_000_000_000L;
    private static final long LEADER_TIMEOUT_NANOS = 30_000_000_000L;
    private static final int START_ATTEMPTS = 3;
    /**
     * {@code --orphan-ttl}: how long a data round's barrier party stays for its client after its
     * connection or node is gone ({@link PartyConnection}). It must outlast the client's re-send: the
     * re-sent {@code bwait} comes within the round's barrier timeout, and a restarted node (its
     * {@code NodeUp} orphans the old run's sessions) is back within seconds. {@code --node-gone-timeout}
     * stays at its default (twice the default lease): a re-sent {@code bwait} takes the party over from
     * the old session even while the cluster still thinks it alive (PROTOCOL.md §6.13), so the soak
     * needs no quick node-gone declaration, and a short one would also make the lock workers' waiters
     * of a partitioned node leave their queues, which their FIFO checks do not expect.
     */
    static final long ORPHAN_TTL_SECONDS = 30;

    private final int count;
    private final Path jar;
    private final Path dir;
    private final long gcInterval;
    private final long gcMaxIdle;
    private final Random rnd;
    private final int[] raftPorts;
    private final int[] clientPorts;
    private String peers;
    /** Every Raft link between the nodes goes through it; replaced with the ports on a new start attempt. */
    private RaftProxy proxy;
    /** Which start attempt the Raft directories belong to ({@code raft-<attempt>-nX}). */
    private int attempt;
    private final Process[] processes;
    /** Per node: the run whose output is read; a killed run's late lines are ignored. Guarded by this. */
    private final int[] runs;
    /** Per node: how often it was launched (for the log). */
    private final int[] launches;
    /** Per node: the leader its current run last reported ({@code null}: none yet, or unknown). Guarded by this. */
    private final String[] views;
    private volatile IntConsumer catchUps = i -> { };

    ClusterNodes(int count, Path jar, Path dir, long gcInterval, long gcMaxIdle, long seed) throws IOException,
            InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("server jar not found: " + jar + " (build it with: mvn -pl server -am package)");
        }
        this.count = count;
        this.jar = jar;
        this.dir = dir;
        this.gcInterval = gcInterval;
        this.gcMaxIdle = gcMaxIdle;
        this.rnd = new Random(seed);
        this.raftPorts = new int[count];
        this.clientPorts = new int[count];
        this.processes = new Process[count];
        this.runs = new int[count];
        this.launches = new int[count];
        this.views = new String[count];
        for (int attempt = 1; ; attempt++) {
            try {
                startAll(attempt);
                break;
            } catch (ChildProcesses.StartupExit e) {
                // A port picked free a moment ago was taken before a node bound it: new ports, new dirs.
                close();
                if (attempt == START_ATTEMPTS) {
                    throw e;
                }
            } catch (IOException | InterruptedException | RuntimeException e) {
                close();
                throw e;
            }
        }
        if (awaitLeader(FIRST_LEADER_TIMEOUT_NANOS) < 0) {
            close();
            throw new IOException("the " + count + "-node cluster elected no leader within 60 s; see "
                    + dir.resolve("node-n1.log"));
        }
    }

    private void startAll(int attempt) throws IOException, InterruptedException {
        this.attempt = attempt;
        int[] ports = freePorts(2 * count);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            raftPorts[i] = ports[2 * i];
            clientPorts[i] = ports[2 * i + 1];
            // Peers by name: each node resolves the names through its own hosts file (RaftProxy).
            b.append(i == 0 ? "" : ",").append(id(i)).append('=').append(id(i)).append(':').append(raftPorts[i])
                    .append("@127.0.0.1:").append(clientPorts[i]);
            Files.writeString(hostsFile(i), RaftProxy.hostsFile(i, count));
        }
        peers = b.toString();
        try {
            proxy = new RaftProxy(raftPorts);
        } catch (java.net.BindException e) {
            throw new ChildProcesses.StartupExit("the Raft proxy could not bind a port picked free: " + e.getMessage());
        }
        for (int i = 0; i < count; i++) {
            processes[i] = spawn(i, Map.of());
        }
        for (int i = 0; i < count; i++) {
            awaitListening(i);
        }
    }

    /** {@code n} distinct ports that were free a moment ago (all held open at once, so distinct). */
    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                out[i] = s.getLocalPort();
            }
            return out;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    private static String id(int i) {
        return "n" + (i + 1);
    }

    private Path hostsFile(int i) {
        return dir.resolve("hosts-" + id(i));
    }

    /**
     * Starts node {@code i}'s process with {@code env} added to its environment; its Raft directory is
     * kept across restarts.
     */
    private Process spawn(int i, Map<String, String> env) throws IOException {
        Path raftDir = dir.resolve("raft-" + attempt + "-" + id(i));
        // N nodes and the soak share a few cores: small heaps, one GC thread, and only the C1 compiler
        // (a node restarted under load is back in seconds instead of tens of seconds).
        ProcessBuilder pb = new ProcessBuilder(ChildProcesses.java(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Djdk.net.hosts.file=" + hostsFile(i), "-jar", jar.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(clientPorts[i]),
                "--raft-dir", raftDir.toString(), "--node-id", id(i), "--cluster-peers", peers,
                "--raft-addr", RaftProxy.bindHost(i) + ":" + raftPorts[i],
                "--gc-interval", Long.toString(gcInterval), "--gc-max-idle", Long.toString(gcMaxIdle),
                "--orphan-ttl", Long.toString(ORPHAN_TTL_SECONDS));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        int run;
        synchronized (this) {
            run = ++runs[i];
            views[i] = null;
        }
        int launch = ++launches[i];
        Thread reader = new Thread(() -> copyOutput(i, run, launch, env, p), "soak-" + id(i) + "-output");
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    /** Copies a node's output to its log file and follows the lines the soak acts on. */
    private void copyOutput(int i, int run, int launch, Map<String, String> env, Process p) {
        Path log = dir.resolve("node-" + id(i) + ".log");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND)) {
            out.write("---- " + id(i) + " launch " + launch + " (soak attempt " + attempt + ") " + env + " ----\n");
            for (String line; (line = in.readLine()) != null; ) {
                out.write(line);
                out.write('\n');
                out.flush();
                Matcher m = LEADER.matcher(line);
                if (m.find() && m.group(1).equals(id(i))) {
                    synchronized (this) {
                        if (runs[i] == run) {
                            views[i] = m.group(2).equals("unknown") ? null : m.group(2);
                            notifyAll();
                        }
                    }
                } else if (CAUGHT_UP.matcher(line).find()) {
                    catchUps.accept(i);
                }
            }
        } catch (IOException ignored) {
            // the process died or the run's directory is being removed
        }
    }

    private void awaitListening(int i) throws IOException, InterruptedException {
        ChildProcesses.awaitListening(processes[i], clientPorts[i], id(i), dir.resolve("node-" + id(i) + ".log"));
    }

    /**
     * Waits until every running node names the same leader and that node names itself; returns its
     * index, or -1 after {@code timeoutNanos}. Requiring every node also waits for a restarted node to
     * have rejoined before the next fault.
     */
    private synchronized int awaitLeader(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            int agreed = agreedLeader(count);
            if (agreed >= 0) {
                return agreed;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return agreedLeader(count / 2 + 1);
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, 200_000_000L));
        }
    }

    /** The node that at least {@code quorum} nodes (itself included) name as leader, or -1. */
    private int agreedLeader(int quorum) {
        Map<String, Integer> votes = new HashMap<>();
        for (String v : views) {
            if (v != null) {
                votes.merge(v, 1, Integer::sum);
            }
        }
        for (int i = 0; i < count; i++) {
            if (id(i).equals(views[i]) && votes.getOrDefault(id(i), 0) >= quorum) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public List<InetSocketAddress> addresses() {
        return ChildProcesses.loopback(Arrays.stream(clientPorts).boxed().toList());
    }

    @Override
    public boolean restartable() {
        return true;
    }

    /** The number of nodes. */
    int size() {
        return count;
    }

    /** The leader every running node agrees on (waiting up to 30 s, then a majority's), or -1. */
    int leader() throws InterruptedException {
        return awaitLeader(LEADER_TIMEOUT_NANOS);
    }

    /** The proxy every Raft link goes through. */
    RaftProxy proxy() {
        return proxy;
    }

    /** Not for a cluster: a dead node's holds outlive it, see {@link ClusterFaults}. */
    @Override
    public void restart(int index, LongConsumer stopping, Runnable stopped) {
        throw new UnsupportedOperationException("cluster nodes restart through ClusterFaults");
    }

    /**
     * SIGKILLs node {@code index}, waits 1–3 s and starts it again on its Raft directory with
     * {@code env} added to its environment (the next restart drops it again); {@code relaunching} runs
     * just before the launch. Called by one thread (the chaos loop); holds the monitor only to update
     * the views.
     */
    void restart(int index, Map<String, String> env, Runnable relaunching) throws IOException,
            InterruptedException {
        Process old = processes[index];
        synchronized (this) {
            runs[index]++; // the dead run's last lines no longer count
            views[index] = null;
        }
        old.destroyForcibly();
        if (!old.waitFor(30, TimeUnit.SECONDS)) {
            throw new IOException(id(index) + " did not die within 30 s of SIGKILL");
        }
        Thread.sleep(1000 + rnd.nextInt(2001));
        relaunching.run();
        processes[index] = spawn(index, env);
        awaitListening(index);
    }

    /** Stops node {@code index} with SIGSTOP for {@code millis} (a long GC pause), then SIGCONT. */
    void pause(int index, long millis) throws IOException, InterruptedException {
        long pid = processes[index].pid();
        signal("STOP", pid);
        try {
            Thread.sleep(millis);
        } finally {
            signal("CONT", pid);
        }
    }

    private static void signal(String name, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
        String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + pid + " failed: " + out);
        }
    }

    @Override
    public long gcBoundSeconds() {
        return gcInterval + gcMaxIdle;
    }

    @Override
    public void onCatchUp(IntConsumer listener) {
        catchUps = listener;
    }

    @Override
    public void close() {
        ChildProcesses.stopAll(Arrays.asList(processes));
        if (proxy != null) {
            proxy.close();
        }
    }
}
