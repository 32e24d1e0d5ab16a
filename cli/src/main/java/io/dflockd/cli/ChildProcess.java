package io.dflockd.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command run under a lease: started with inherited stdin/stdout/stderr, terminated politely
 * (SIGTERM, then SIGKILL after a grace period) when the lease is lost or dflockctl itself is
 * stopped.
 */
final class ChildProcess {
    private final Process process;
    private volatile boolean terminationRequested;

    private ChildProcess(Process process) {
        this.process = process;
    }

    /**
     * Starts {@code command} with {@code extraEnv} added to dflockctl's environment.
     *
     * @throws CliException exit 127 if the program does not exist, 126 if it cannot be executed
     */
    static ChildProcess start(List<String> command, Map<String, String> extraEnv) {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().putAll(extraEnv);
        try {
            return new ChildProcess(pb.start());
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            boolean notFound = m.contains("error=2,") || m.contains("No such file");
            String reason = m.contains(", ") ? m.substring(m.lastIndexOf(", ") + 2) : m;
            throw new CliException(notFound ? ExitCodes.COMMAND_NOT_FOUND : ExitCodes.CANNOT_EXECUTE,
                    "cannot run '" + command.get(0) + "': " + reason, e);
        }
    }

    /** Waits for the command to exit; its status (128 + signal number if a signal ended it). */
    int waitFor() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true; // the command keeps running; we keep waiting for it
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Whether {@link #terminate} was called while the command was alive. */
    boolean terminationRequested() {
        return terminationRequested;
    }

    /**
     * Sends SIGTERM now and SIGKILL (to the command and the descendants it had) if it is still
     * alive after {@code grace}. Returns at once; a daemon thread does the waiting.
     */
    void terminate(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        terminationRequested = true;
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        Thread killer = new Thread(() -> killAfter(grace, descendants), "dflockctl-kill-after");
        killer.setDaemon(true);
        killer.start();
    }

    /** Same as {@link #terminate}, but waits until the command has exited (for shutdown). */
    void terminateAndWait(Duration grace) {
        terminate(grace);
        try {
            if (!process.waitFor(grace.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private void killAfter(Duration grace, List<ProcessHandle> descendants) {
        try {
            if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }
}
