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
 * {@code --cluster-peers} never changes). A restart is a fault: SIGKILL, a pause of 1–3 s, then the
 * same node again on the same Raft directory. Faults alternate between the leader and a random
 * follower, one node at a time, so a majority always runs.
 *
 * <p>Each node's output is copied to {@code node-nX.log} in the run's directory and read for the
 * lines {@code "nX: the cluster's leader is now nY"} (who leads) and
 * {@code "nX: caught up from the leader's snapshot"} (that node answered its pending requests
 * {@code error}).
 *
 * <p>The death a restart reports is the instant the node's <em>next</em> run is launched, not the
 * kill: the cluster keeps the holds of a dead node's sessions (their leases run on), and only the new
 * run's {@code NodeUp} entry, proposed after it starts, ends the sessions of the old one.
 */
final class ClusterNodes implements Servers {
    private static final Pattern LEADER = Pattern.compile("(n\\d+): the cluster's leader is now (\\S+)");
    private static final Pattern CAUGHT_UP = Pattern.compile("(n\\d+): caught up from the leader's snapshot");
    private static final long FIRST_LEADER_TIMEOUT_NANOS = 60_000_000_000L;
    private static final long LEADER_TIMEOUT_NANOS = 30_000_000_000L;
    private static final int START_ATTEMPTS = 3;

    private final int count;
    private final Path jar;
    private final Path dir;
    private final long gcInterval;
    private final long gcMaxIdle;
    private final Random rnd;
    private final int[] raftPorts;
    private final int[] clientPorts;
    private String peers;
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
            b.append(i == 0 ? "" : ",").append(id(i)).append("=127.0.0.1:").append(raftPorts[i])
                    .append("@127.0.0.1:").append(clientPorts[i]);
        }
        peers = b.toString();
        for (int i = 0; i < count; i++) {
            processes[i] = spawn(i);
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

    /** Starts node {@code i}'s process; its Raft directory is kept across restarts. */
    private Process spawn(int i) throws IOException {
        Path raftDir = dir.resolve("raft-" + attempt + "-" + id(i));
        // N nodes and the soak share a few cores: small heaps, one GC thread, and only the C1 compiler
        // (a node restarted under load is back in seconds instead of tens of seconds).
        ProcessBuilder pb = new ProcessBuilder(ChildProcesses.java(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(clientPorts[i]),
                "--raft-dir", raftDir.toString(), "--node-id", id(i), "--cluster-peers", peers,
                "--gc-interval", Long.toString(gcInterval), "--gc-max-idle", Long.toString(gcMaxIdle));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        int run;
        synchronized (this) {
            run = ++runs[i];
            views[i] = null;
        }
        int launch = ++launches[i];
        Thread reader = new Thread(() -> copyOutput(i, run, launch, p), "soak-" + id(i) + "-output");
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    /** Copies a node's output to its log file and follows the lines the soak acts on. */
    private void copyOutput(int i, int run, int launch, Process p) {
        Path log = dir.resolve("node-" + id(i) + ".log");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND)) {
            out.write("---- " + id(i) + " launch " + launch + " (soak attempt " + attempt + ") ----\n");
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

    /** Even faults (the first included) kill the leader, odd ones a random follower. */
    @Override
    public Victim victim(int fault) throws InterruptedException {
        int leader = awaitLeader(LEADER_TIMEOUT_NANOS);
        if (leader < 0) {
            return new Victim(rnd.nextInt(count), "unknown_role");
        }
        if (fault % 2 == 0) {
            return new Victim(leader, "leader");
        }
        int follower = (leader + 1 + rnd.nextInt(count - 1)) % count;
        return new Victim(follower, "follower");
    }

    /** Called by one thread (the chaos loop); holds the monitor only to update the views. */
    @Override
    public void restart(int index, LongConsumer died) throws IOException, InterruptedException {
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
        // From the launch on, the new run's NodeUp may end the old run's sessions and their holds.
        died.accept(System.nanoTime());
        processes[index] = spawn(index);
        awaitListening(index);
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
    }
}
