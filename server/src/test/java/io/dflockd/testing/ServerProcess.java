package io.dflockd.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server in a child JVM (the test's own classpath, {@code io.dflockd.server.Main}) on a free
 * loopback port, for tests about what clients see when a server process dies: {@link #kill()} is a
 * SIGKILL, so the kernel, not the server, closes the connections.
 */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on .*:(\\d+)");

    private final Process process;
    private final LinkedBlockingQueue<String> output = new LinkedBlockingQueue<>();
    private final int port;

    private ServerProcess(int requestedPort, List<String> flags) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.dflockd.server.Main",
                "--host", "127.0.0.1", "--port", String.valueOf(requestedPort)));
        cmd.addAll(flags);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("DFLOCKD_"));
        process = pb.start();
        Thread reader = new Thread(this::pump, "server-process-output");
        reader.setDaemon(true);
        reader.start();
        port = awaitPort();
    }

    /** Starts a server with {@code flags} added to {@code --host 127.0.0.1 --port 0}; waits until it listens. */
    public static ServerProcess start(String... flags) throws IOException, InterruptedException {
        return new ServerProcess(0, List.of(flags));
    }

    /** Starts a server on {@code port} (cluster members must know each other's ports in advance). */
    public static ServerProcess startOn(int port, String... flags) throws IOException, InterruptedException {
        return new ServerProcess(port, List.of(flags));
    }

    /**
     * The output lines no {@code awaitLine} consumed yet, removed from the buffer: a test prints them
     * when it stops its servers, so that a failure's report shows what the servers said.
     */
    public java.util.List<String> drainOutput() {
        java.util.List<String> lines = new java.util.ArrayList<>();
        output.drainTo(lines);
        return lines;
    }

    /** The output lines no one consumed yet that {@code pattern} finds, left in the buffer: for a failure's message. */
    public java.util.List<String> pendingLines(Pattern pattern) {
        return output.stream().filter(l -> pattern.matcher(l).find()).toList();
    }

    /**
     * Waits for a line of the server's output (after the "listening" line) that {@code pattern}
     * finds, and returns the match; lines before it are consumed.
     */
    public Matcher awaitLine(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        java.util.ArrayDeque<String> recent = new java.util.ArrayDeque<>();
        while (System.nanoTime() - deadline < 0) {
            String line = output.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m;
                }
                recent.addLast(line);
                if (recent.size() > 10) {
                    recent.removeFirst();
                }
            }
        }
        throw new IllegalStateException("no output line matched " + pattern + " within " + timeout
                + "; the last lines: " + String.join(" | ", recent));
    }

    public int port() {
        return port;
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("server process did not die after SIGKILL");
        }
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("server process still running after " + timeout);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                output.add(line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }

    private int awaitPort() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String line = output.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            } else if (!process.isAlive()) {
                break;
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("server process did not start listening; its output: " + seen);
    }
}
