package io.dflockd.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs dflockctl as users do: a separate JVM with the module's runtime class path (built by the
 * dependency plugin, passed in {@code dflockctl.classpath}), its own environment, real exit codes.
 * DFLOCKD_* variables of the build environment are removed so they cannot leak into a test.
 */
final class Dflockctl {
    private static final Duration DEFAULT_WAIT = Duration.ofSeconds(90);

    private Dflockctl() {
    }

    /** Runs to completion with no extra environment. */
    static Result run(String... args) {
        return run(Map.of(), args);
    }

    /** Runs to completion with {@code env} added. */
    static Result run(Map<String, String> env, String... args) {
        return start(env, args).awaitExit();
    }

    /** Starts without waiting. */
    static Running start(String... args) {
        return start(Map.of(), args);
    }

    static Running start(Map<String, String> env, String... args) {
        String classpath = System.getProperty("dflockctl.classpath");
        if (classpath == null) {
            throw new IllegalStateException("system property dflockctl.classpath is not set (run the tests with Maven)");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1"); // these JVMs live for seconds: start fast
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("DFLOCKD_"));
        pb.environment().putAll(new HashMap<>(env));
        try {
            return new Running(pb.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A finished run. */
    record Result(int exitCode, String stdout, String stderr) {
        /** The stderr lines, for "exactly one line" assertions. */
        List<String> stderrLines() {
            return stderr.isEmpty() ? List.of() : List.of(stderr.split("\n"));
        }
    }

    /** A dflockctl process whose output is collected as it arrives. */
    static final class Running {
        private final Process process;
        private final StringBuffer out = new StringBuffer();
        private final StringBuffer err = new StringBuffer();
        private final Thread outPump;
        private final Thread errPump;

        private Running(Process process) {
            this.process = process;
            this.outPump = pump(process.getInputStream(), out);
            this.errPump = pump(process.getErrorStream(), err);
        }

        private static Thread pump(InputStream in, StringBuffer sink) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[4096];
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        sink.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            });
            t.setDaemon(true);
            t.start();
            return t;
        }

        String stdout() {
            return out.toString();
        }

        String stderr() {
            return err.toString();
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** Writes {@code text} to dflockctl's stdin and closes it. */
        Running input(String text) {
            try (var in = process.getOutputStream()) {
                in.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** SIGTERM to dflockctl itself (as {@code kill PID} would). */
        void terminate() {
            process.destroy();
        }

        Result awaitExit() {
            return awaitExit(DEFAULT_WAIT);
        }

        Result awaitExit(Duration limit) {
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("dflockctl did not exit within " + limit + "; stdout: " + out
                            + " stderr: " + err);
                }
                outPump.join(10_000);
                errPump.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            return new Result(process.exitValue(), out.toString(), err.toString());
        }

        /** Kills the process if a test left it running. */
        void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
