package io.dflockd.soak;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What {@link ChildServers} and {@link ClusterNodes} share: starting, probing and stopping server processes. */
final class ChildProcesses {
    private static final long START_TIMEOUT_NANOS = 60_000_000_000L;

    private ChildProcesses() {
    }

    /** The child exited before it listened (a port picked free may have been taken meanwhile). */
    static final class StartupExit extends IOException {
        StartupExit(String message) {
            super(message);
        }
    }

    /** The {@code java} of this JVM. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Waits until {@code p} accepts connections on {@code port}; {@code name} and {@code log} go into
     * the complaint. Kills {@code p} if it does not listen within 60 s.
     */
    static void awaitListening(Process p, int port, String name, Path log) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (!accepts(port)) {
            if (!p.isAlive()) {
                throw new StartupExit(name + " exited with " + p.exitValue() + " at start-up; see " + log);
            }
            if (System.nanoTime() - deadline > 0) {
                p.destroyForcibly();
                throw new IOException(name + " did not start listening within 60 s; see " + log);
            }
            Thread.sleep(50);
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Loopback addresses of {@code ports}. */
    static List<InetSocketAddress> loopback(Iterable<Integer> ports) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (int p : ports) {
            out.add(new InetSocketAddress("127.0.0.1", p));
        }
        return out;
    }

    /** SIGTERM to every process (nulls skipped), then SIGKILL to those still running 10 s later. */
    static void stopAll(Iterable<Process> processes) {
        for (Process p : processes) {
            if (p != null) {
                p.destroy();
            }
        }
        for (Process p : processes) {
            if (p == null) {
                continue;
            }
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
