package io.dflockd.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one workload run measured: throughput, latency histograms, errors, server cost and any
 * workload-specific figures. Filled in by the workload, printed by {@link Reporter}.
 */
public final class RunResult {
    private final String workload;
    private final String client;
    private final String servers;
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final Map<String, Latency> latencies = new LinkedHashMap<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private String unit = "ops";
    private long operations;
    private long elapsedNanos;
    private long errors;
    private String firstError;
    private String loadAverageBefore;
    private String loadAverageAfter;
    private Double serverCpuSeconds;

    public RunResult(String workload, String client, String servers) {
        this.workload = workload;
        this.client = client;
        this.servers = servers;
    }

    /** Records an input parameter (printed so every figure carries its setup). */
    public RunResult parameter(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    /** Sets what was counted and over how long. */
    public void throughput(String unit, long operations, long elapsedNanos) {
        this.unit = unit;
        this.operations = operations;
        this.elapsedNanos = elapsedNanos;
    }

    public void latency(String name, Latency latency) {
        latencies.put(name, latency);
    }

    /** A workload-specific figure (e.g. the ping baseline ratio, RSS). */
    public void figure(String name, Object value) {
        figures.put(name, value);
    }

    public void errors(long count, String first) {
        this.errors = count;
        this.firstError = first;
    }

    public void loadAverage(String before, String after) {
        this.loadAverageBefore = before;
        this.loadAverageAfter = after;
    }

    public void serverCpuSeconds(double seconds) {
        this.serverCpuSeconds = seconds;
    }

    public String workload() {
        return workload;
    }

    public String client() {
        return client;
    }

    public String servers() {
        return servers;
    }

    public Map<String, Object> parameters() {
        return parameters;
    }

    public Map<String, Latency> latencies() {
        return latencies;
    }

    public Map<String, Object> figures() {
        return figures;
    }

    public String unit() {
        return unit;
    }

    public long operations() {
        return operations;
    }

    public long elapsedNanos() {
        return elapsedNanos;
    }

    /** Operations per second over the measured phase. */
    public double perSecond() {
        return elapsedNanos <= 0 ? 0 : operations * 1e9 / elapsedNanos;
    }

    public long errors() {
        return errors;
    }

    public String firstError() {
        return firstError;
    }

    public String loadAverageBefore() {
        return loadAverageBefore;
    }

    public String loadAverageAfter() {
        return loadAverageAfter;
    }

    /** Server CPU seconds during the measured phase, or {@code null} without {@code --server-pid}. */
    public Double serverCpuSeconds() {
        return serverCpuSeconds;
    }

    /** Server CPU seconds per 100k operations, or {@code null} without {@code --server-pid}. */
    public Double serverCpuPer100k() {
        if (serverCpuSeconds == null || operations == 0) {
            return null;
        }
        return serverCpuSeconds * 100_000.0 / operations;
    }
}
