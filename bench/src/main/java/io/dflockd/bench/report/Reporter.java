package io.dflockd.bench.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/** Prints a {@link RunResult} as a human-readable block or as one JSON object per line. */
public final class Reporter {
    private static final double[] PERCENTILES = {50, 90, 99, 99.9};
    private static final String[] PERCENTILE_NAMES = {"p50", "p90", "p99", "p99.9"};

    private Reporter() {
    }

    public static void print(RunResult r, boolean json, PrintWriter out) {
        out.println(json ? json(r) : text(r));
        out.flush();
    }

    /** The human-readable form. */
    public static String text(RunResult r) {
        StringBuilder b = new StringBuilder();
        b.append("== ").append(r.workload()).append(" — client: ").append(r.client())
                .append(", servers: ").append(r.servers()).append('\n');
        b.append("   parameters: ");
        r.parameters().forEach((k, v) -> b.append(k).append('=').append(v).append(' '));
        b.append('\n');
        b.append(String.format(Locale.ROOT, "   throughput: %,.0f %s/s (%,d %s in %.3f s), errors: %d%n",
                r.perSecond(), r.unit(), r.operations(), r.unit(), r.elapsedNanos() / 1e9, r.errors()));
        if (r.firstError() != null) {
            b.append("   first error: ").append(r.firstError()).append('\n');
        }
        for (Map.Entry<String, Latency> e : r.latencies().entrySet()) {
            Latency l = e.getValue();
            b.append(String.format(Locale.ROOT, "   %-12s n=%-9d", e.getKey(), l.count()));
            for (int i = 0; i < PERCENTILES.length; i++) {
                b.append(' ').append(PERCENTILE_NAMES[i]).append('=').append(micros(l.percentileNanos(PERCENTILES[i])));
            }
            b.append(" max=").append(micros(l.maxNanos())).append('\n');
        }
        r.figures().forEach((k, v) -> b.append("   ").append(k).append(": ").append(format(v)).append('\n'));
        if (r.serverCpuSeconds() != null) {
            b.append(String.format(Locale.ROOT, "   server cpu: %.3f s, %.4f cpu-s per 100k %s%n",
                    r.serverCpuSeconds(), r.serverCpuPer100k(), r.unit()));
        }
        b.append("   load average: before ").append(r.loadAverageBefore()).append(", after ")
                .append(r.loadAverageAfter());
        return b.toString();
    }

    private static String micros(long nanos) {
        if (nanos >= 10_000_000) {
            return String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.1fµs", nanos / 1e3);
    }

    private static String format(Object v) {
        if (v instanceof Double) {
            return String.format(Locale.ROOT, "%.4g", (Double) v);
        }
        return String.valueOf(v);
    }

    /** One JSON object; latencies in microseconds. */
    public static String json(RunResult r) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("workload", r.workload());
            g.writeStringField("client", r.client());
            g.writeStringField("servers", r.servers());
            g.writeObjectFieldStart("parameters");
            for (Map.Entry<String, Object> e : r.parameters().entrySet()) {
                writeValue(g, e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeStringField("unit", r.unit());
            g.writeNumberField("operations", r.operations());
            g.writeNumberField("elapsed_s", r.elapsedNanos() / 1e9);
            g.writeNumberField("per_second", r.perSecond());
            g.writeNumberField("errors", r.errors());
            if (r.firstError() != null) {
                g.writeStringField("first_error", r.firstError());
            }
            g.writeObjectFieldStart("latency_us");
            for (Map.Entry<String, Latency> e : r.latencies().entrySet()) {
                Latency l = e.getValue();
                g.writeObjectFieldStart(e.getKey());
                g.writeNumberField("count", l.count());
                for (int i = 0; i < PERCENTILES.length; i++) {
                    g.writeNumberField(PERCENTILE_NAMES[i], l.percentileNanos(PERCENTILES[i]) / 1e3);
                }
                g.writeNumberField("max", l.maxNanos() / 1e3);
                g.writeNumberField("mean", l.meanNanos() / 1e3);
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("figures");
            for (Map.Entry<String, Object> e : r.figures().entrySet()) {
                writeValue(g, e.getKey(), e.getValue());
            }
            g.writeEndObject();
            if (r.serverCpuSeconds() != null) {
                g.writeNumberField("server_cpu_s", r.serverCpuSeconds());
                g.writeNumberField("server_cpu_s_per_100k", r.serverCpuPer100k());
            }
            g.writeStringField("loadavg_before", r.loadAverageBefore());
            g.writeStringField("loadavg_after", r.loadAverageAfter());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void writeValue(JsonGenerator g, String name, Object v) throws IOException {
        if (v instanceof Integer || v instanceof Long) {
            g.writeNumberField(name, ((Number) v).longValue());
        } else if (v instanceof Number) {
            g.writeNumberField(name, ((Number) v).doubleValue());
        } else if (v instanceof Boolean) {
            g.writeBooleanField(name, (Boolean) v);
        } else {
            g.writeStringField(name, String.valueOf(v));
        }
    }
}
