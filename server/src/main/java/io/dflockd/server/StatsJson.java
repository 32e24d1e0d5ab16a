package io.dflockd.server;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dflockd.server.lock.ResourceSnapshot;
import io.dflockd.server.signal.ChannelStat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Renders the {@code stats} reply body (PROTOCOL.md §10) with Jackson's streaming generator: one line,
 * every array always present, resources classified by limit (1 = lock).
 */
final class StatsJson {
    private static final JsonFactory JSON = new JsonFactory();
    private static final double NANOS_PER_SECOND = 1e9;

    private StatsJson() {
    }

    static byte[] render(int connections, List<ResourceSnapshot> resources, List<ChannelStat> channels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + resources.size() * 96);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeNumberField("connections", connections);
            g.writeArrayFieldStart("locks");
            for (ResourceSnapshot r : resources) {
                if (r.limit() == 1 && r.active()) {
                    g.writeStartObject();
                    g.writeStringField("key", text(r.key()));
                    g.writeNumberField("owner_conn_id", r.ownerConnId());
                    g.writeNumberField("lease_expires_in_s", r.leaseLeftNanos() / NANOS_PER_SECOND);
                    g.writeNumberField("waiters", r.waiters());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeArrayFieldStart("semaphores");
            for (ResourceSnapshot r : resources) {
                if (r.limit() != 1 && r.active()) {
                    g.writeStartObject();
                    g.writeStringField("key", text(r.key()));
                    g.writeNumberField("limit", r.limit());
                    g.writeNumberField("holders", r.holders());
                    g.writeNumberField("waiters", r.waiters());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            writeIdle(g, "idle_locks", resources, true);
            writeIdle(g, "idle_semaphores", resources, false);
            if (channels != null) {
                g.writeArrayFieldStart("signal_channels");
                for (ChannelStat c : channels) {
                    g.writeStartObject();
                    g.writeStringField("pattern", text(c.pattern()));
                    if (c.group() != null) {
                        g.writeStringField("group", text(c.group()));
                    }
                    g.writeNumberField("listeners", c.listeners());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeIdle(JsonGenerator g, String field, List<ResourceSnapshot> resources, boolean locks)
            throws IOException {
        g.writeArrayFieldStart(field);
        for (ResourceSnapshot r : resources) {
            if ((r.limit() == 1) == locks && !r.active()) {
                g.writeStartObject();
                g.writeStringField("key", text(r.key()));
                g.writeNumberField("idle_s", r.idleNanos() / NANOS_PER_SECOND);
                g.writeEndObject();
            }
        }
        g.writeEndArray();
    }

    /** Wire strings are byte-exact Latin-1; JSON shows them as the UTF-8 text clients sent. */
    private static String text(String wire) {
        return new String(wire.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
