package io.dflockd.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dflockd.protocol.Stats;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code stats --json}: one JSON object {@code {"servers":[...]}}, one entry per server in
 * {@code --servers} order, each with the server's address and its {@code stats} fields under the
 * wire names (PROTOCOL.md §10), so {@code jq} filters written for the server's reply carry over.
 */
final class StatsJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private StatsJson() {
    }

    /** One server's result: its stats, or the error that prevented getting them. */
    record Entry(String server, Stats stats, String error) {
    }

    static String render(List<Entry> entries) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(w)) {
            g.writeStartObject();
            g.writeArrayFieldStart("servers");
            for (Entry e : entries) {
                g.writeStartObject();
                g.writeStringField("server", e.server());
                if (e.stats() == null) {
                    g.writeStringField("error", e.error());
                } else {
                    writeStats(g, e.stats());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    private static void writeStats(JsonGenerator g, Stats s) throws IOException {
        g.writeNumberField("connections", s.connections());
        g.writeArrayFieldStart("locks");
        for (Stats.LockStat l : s.locks()) {
            g.writeStartObject();
            g.writeStringField("key", l.key());
            g.writeNumberField("owner_conn_id", l.ownerConnId());
            g.writeNumberField("lease_expires_in_s", l.leaseExpiresInS());
            g.writeNumberField("waiters", l.waiters());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("semaphores");
        for (Stats.SemaphoreStat m : s.semaphores()) {
            g.writeStartObject();
            g.writeStringField("key", m.key());
            g.writeNumberField("limit", m.limit());
            g.writeNumberField("holders", m.holders());
            g.writeNumberField("waiters", m.waiters());
            g.writeEndObject();
        }
        g.writeEndArray();
        writeIdle(g, "idle_locks", s.idleLocks());
        writeIdle(g, "idle_semaphores", s.idleSemaphores());
        g.writeArrayFieldStart("signal_channels");
        for (Stats.SignalChannelStat c : s.signalChannels()) {
            g.writeStartObject();
            g.writeStringField("pattern", c.pattern());
            if (c.group() != null) {
                g.writeStringField("group", c.group());
            }
            g.writeNumberField("listeners", c.listeners());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeIdle(JsonGenerator g, String name, List<Stats.IdleStat> idle) throws IOException {
        g.writeArrayFieldStart(name);
        for (Stats.IdleStat i : idle) {
            g.writeStartObject();
            g.writeStringField("key", i.key());
            g.writeNumberField("idle_s", i.idleS());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
