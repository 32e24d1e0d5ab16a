package io.dflockd.soak;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
            } catch (ChildProcesses.StartupExit e) {
                ports.remove(i);
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process launch(int i) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(ChildProcesses.java(), "-jar", jar.toString(), "--host", "127.0.0.1",
                "--port", Integer.toString(ports.get(i)),
                "--fence-state-file", dir.resolve("fence-" + i + ".state").toString(),
                "--gc-interval", Long.toString(gcInterval), "--gc-max-idle", Long.toString(gcMaxIdle));
        File log = dir.resolve("server-" + i + ".log").toFile();
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        Process p = pb.start();
        ChildProcesses.awaitListening(p, ports.get(i), "server#" + i, log.toPath());
        return p;
    }

    @Override
    public List<InetSocketAddress> addresses() {
        return ChildProcesses.loopback(ports);
    }

    @Override
    public boolean restartable() {
        return true;
    }

    @Override
    public synchronized void restart(int index, LongConsumer stopping, Runnable stopped)
            throws IOException, InterruptedException {
        Process old = processes.get(index);
        stopping.accept(System.nanoTime());
        old.destroyForcibly();
        if (!old.waitFor(30, TimeUnit.SECONDS)) {
            throw new IOException("server#" + index + " did not die within 30 s of SIGKILL");
        }
        stopped.run();
        processes.set(index, launch(index));
    }

    @Override
    public long gcBoundSeconds() {
        return gcInterval + gcMaxIdle;
    }

    @Override
    public synchronized void close() {
        ChildProcesses.stopAll(processes);
    }
}
