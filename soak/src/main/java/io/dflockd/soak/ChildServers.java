package io.dflockd.soak;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * Servers run as child processes from the server jar, each with its own fence state file. A restart
 * kills the process with SIGKILL (a crash: no graceful drain, the state file is not closed cleanly)
 * and starts a new one on the same port.
 */
final class ChildServers implements Servers {
    private static final long START_TIMEOUT_NANOS = 60_000_000_000L;

    private final Path jar;
    private final Path dir;
    private final long gcInterval;
    private final long gcMaxIdle;
    private final List<Integer> ports = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    ChildServers(int count, Path jar, Path dir, long gcInterval, long gcMaxIdle) throws IOException,
            InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("server jar not found: " + jar + " (build it with: mvn -pl server -am package)");
        }
        this.jar = jar;
        this.dir = dir;
        this.gcInterval = gcInterval;
        this.gcMaxIdle = gcMaxIdle;
        try {
            for (int i = 0; i < count; i++) {
                processes.add(launchOnAFreePort(i));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * First start: a port that was free a moment ago may have been taken by the time the child binds
     * it, so a child that dies at start-up is tried again on another port (restarts keep their port:
     * clients reconnect to the same address).
     */
    private Process launchOnAFreePort(int i) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            ports.add(i, freePort());
            try {
                return launch(i);
            } catch (StartupExit e) {
                ports.remove(i);
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** The child exited before it listened. */
    private static final class StartupExit extends IOException {
        StartupExit(String message) {
            super(message);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process launch(int i) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-jar", jar.toString(), "--host", "127.0.0.1",
                "--port", Integer.toString(ports.get(i)),
                "--fence-state-file", dir.resolve("fence-" + i + ".state").toString(),
                "--gc-interval", Long.toString(gcInterval), "--gc-max-idle", Long.toString(gcMaxIdle));
        File log = dir.resolve("server-" + i + ".log").toFile();
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        Process p = pb.start();
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (!accepts(ports.get(i))) {
            if (!p.isAlive()) {
                throw new StartupExit("server#" + i + " exited with " + p.exitValue() + " at start-up; see " + log);
            }
            if (System.nanoTime() - deadline > 0) {
                p.destroyForcibly();
                throw new IOException("server#" + i + " did not start listening within 60 s; see " + log);
            }
            Thread.sleep(50);
        }
        return p;
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public List<InetSocketAddress> addresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (int p : ports) {
            out.add(new InetSocketAddress("127.0.0.1", p));
        }
        return out;
    }

    @Override
    public boolean restartable() {
        return true;
    }

    @Override
    public synchronized void restart(int index, LongConsumer died) throws IOException, InterruptedException {
        Process old = processes.get(index);
        long killed = System.nanoTime();
        old.destroyForcibly();
        if (!old.waitFor(30, TimeUnit.SECONDS)) {
            throw new IOException("server#" + index + " did not die within 30 s of SIGKILL");
        }
        died.accept(killed);
        processes.set(index, launch(index));
    }

    @Override
    public long gcBoundSeconds() {
        return gcInterval + gcMaxIdle;
    }

    @Override
    public synchronized void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
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
