package io.dflockd.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a server process's CPU time and resident memory from {@code /proc} (Linux), so a run can
 * report what the server spent, not what the whole box spent.
 */
public final class ServerUsage {
    /** USER_HZ: the unit of utime/stime. 100 on every mainstream Linux build. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final long pid;

    public ServerUsage(long pid) {
        this.pid = pid;
    }

    /** Fails fast (before any load is generated) if the pid cannot be read. */
    public static ServerUsage attach(long pid) {
        ServerUsage p = new ServerUsage(pid);
        try {
            p.sample();
        } catch (IOException e) {
            throw new IllegalArgumentException("--server-pid " + pid + ": cannot read /proc/" + pid + "/stat ("
                    + e.getMessage() + ")");
        }
        return p;
    }

    public long pid() {
        return pid;
    }

    /** CPU seconds (user + system) and RSS now. */
    public Sample sample() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) may contain spaces; fields after it start past the last ')'.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // After the name, f[0] is field 3 (state); utime is field 14 and stime field 15.
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        return new Sample(ticks / TICKS_PER_SECOND, rssBytes());
    }

    private long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                String kb = line.substring(6).trim().split("\\s+")[0];
                return Long.parseLong(kb) * 1024;
            }
        }
        return -1;
    }

    /**
     * One reading.
     *
     * @param cpuSeconds user + system CPU time since the process started
     * @param rssBytes resident set size
     */
    public record Sample(double cpuSeconds, long rssBytes) {
    }
}
