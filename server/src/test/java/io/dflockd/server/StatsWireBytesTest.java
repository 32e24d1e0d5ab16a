package io.dflockd.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dflockd.protocol.Stats;
import io.dflockd.protocol.StatsWriter;
import io.dflockd.protocol.Request;
import io.dflockd.server.cluster.ClusterStatus;
import io.dflockd.server.data.BarrierSnapshot;
import io.dflockd.server.data.DataStats;
import io.dflockd.server.data.DataStore;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.LockSettings;
import io.dflockd.server.lock.ResourceSnapshot;
import io.dflockd.server.signal.ChannelStat;
import io.dflockd.server.time.ManualTime;
import java.time.Duration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The {@code stats} reply is rendered by the protocol's {@link StatsWriter} (via {@link ServerStats});
 * it used to be rendered with Jackson. The bytes on the wire must not have changed: each state here
 * is rendered by both, and the bytes compared. {@link JacksonStatsReference} is the former renderer,
 * kept only here as the reference.
 */
class StatsWireBytesTest {
    /** Counters, entries, lists and a barrier with awkward keys, values, times and a waiting pop. */
    private static final DataStore DATA = data();

    private static DataStore data() {
        ManualTime time = new ManualTime();
        DataStore d = new DataStore(LockSettings.defaults(), time, time, LockEvents.NONE);
        LockOwner owner = new LockOwner(1);
        for (String key : new String[] {"c", wire("k\"\\\u0001é€\uD83D\uDE00"), bytes(0xff, 0xc3)}) {
            d.execute(owner, new Request.CounterOp(io.dflockd.protocol.Command.CSET, key, Long.MIN_VALUE), null);
            d.execute(owner, new Request.KvSet(key, wire("vé"), 0), null);
            d.execute(owner, new Request.ListPush(key, "item", true), null);
            time.advance(Duration.ofNanos(123_456_789_123L));
        }
        d.execute(owner, new Request.KvSet("ttl", "v", 7), null);
        d.execute(owner, new Request.ListPop("waited", true, true, 30), o -> { });
        d.barriers().await(new LockOwner(2), wire("stage\"é"), 3, 60, o -> { });
        time.advance(Duration.ofMillis(1500));
        return d;
    }


    @Test
    void trickyStatesRenderTheSameBytesAsTheJacksonReference() {
        List<ResourceSnapshot> resources = List.of(
                lock(wire("plain"), 7, 31_523_412_851L, 1),
                lock(wire("quote\"and\\backslash/slash"), 1, 1, 0),
                lock(wire("ctl\u0000\u0001\b\t\n\u000b\f\r\u001b\u001f\u007f"), 0, 0, 3),
                lock(wire("non-ascii é € ключ 漢字 \uD83D\uDE00 \uFFFD"), Long.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE),
                lock(bytes(0xff, 0xfe, 0x80, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98), Long.MIN_VALUE, 999_999_999L, 0),
                lock(bytes(0x00), 0, 10_000_000_000_000_000L, 0),
                new ResourceSnapshot(wire("sem\"\u0000é"), 3, 2, 0, 9, 0, 0),
                new ResourceSnapshot(wire("sem-max"), Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, 0, 0, 0),
                new ResourceSnapshot(wire("sem-waiting"), 0, 0, 1, 0, 0, 0),
                new ResourceSnapshot(wire("idle-lock\\"), 1, 0, 0, 0, 0, 0),
                new ResourceSnapshot(wire("idle-lock-frac"), 1, 0, 0, 0, 0, 12_300_000_000L),
                new ResourceSnapshot(wire("idle-sem \uD83D\uDE00"), 5, 0, 0, 0, 0, 1),
                new ResourceSnapshot(bytes(0xc0, 0xaf), -1, 0, 0, 0, 0, Long.MAX_VALUE),
                new ResourceSnapshot(wire("idle-neg"), 2, 0, 0, 0, 0, Long.MIN_VALUE),
                new ResourceSnapshot(wire(""), 1, 0, 0, 0, 0, 100_000L),
                new ResourceSnapshot(wire("rw-readers\"é"), 0, 3, 2, 4, 5, 6, true, false),
                new ResourceSnapshot(wire("rw-writer"), 0, 1, 0, 4, 5, 6, true, true),
                new ResourceSnapshot(wire("rw-waiting"), 0, 0, Integer.MAX_VALUE, 0, 0, 0, true, false),
                new ResourceSnapshot(wire("rw-idle"), 0, 0, 0, 0, 0, 7, true, false));
        List<ChannelStat> channels = List.of(
                new ChannelStat(wire("events.>"), wire("workers"), 2),
                new ChannelStat(wire("events.user.login"), null, 1),
                new ChannelStat(wire("q\"\\\u0000.é.*"), wire("g\"\n€\uD83D\uDE00"), Integer.MAX_VALUE),
                new ChannelStat(bytes(0xff, 0x2e, 0x3e), bytes(0xe2, 0x82), 0));
        for (int connections : new int[] {0, 1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            assertSameBytes(connections, resources, channels);
            assertSameBytes(connections, resources, null); // signals off: no signal_channels at all
            assertSameBytes(connections, resources, List.of());
            assertSameBytes(connections, List.of(), null);
            assertSameBytes(connections, List.of(), List.of());
            assertSameBytes(connections, List.of(), DATA, List.of());
        }
        // a key longer than Jackson's output buffer (8000 bytes), so its long-string path is compared too
        String big = wire(("k\"\\\u0001é€\uD83D\uDE00".repeat(2000)));
        assertSameBytes(3, List.of(lock(big, 1, 1, 1)), List.of(new ChannelStat(big, big, 1)));
    }

    @Test
    void randomStatesRenderTheSameBytesAsTheJacksonReference() {
        Random rnd = new Random(13);
        for (int n = 0; n < 2000; n++) {
            List<ResourceSnapshot> resources = new ArrayList<>();
            for (int i = rnd.nextInt(6); i > 0; i--) {
                resources.add(new ResourceSnapshot(randomWire(rnd), rnd.nextBoolean() ? 1 : randomInt(rnd),
                        rnd.nextInt(3) == 0 ? 0 : randomInt(rnd), rnd.nextInt(3) == 0 ? 0 : randomInt(rnd),
                        randomLong(rnd), randomLong(rnd), randomLong(rnd), rnd.nextInt(4) == 0, rnd.nextBoolean()));
            }
            List<ChannelStat> channels = null;
            if (rnd.nextInt(4) != 0) {
                channels = new ArrayList<>();
                for (int i = rnd.nextInt(4); i > 0; i--) {
                    channels.add(new ChannelStat(randomWire(rnd), rnd.nextBoolean() ? null : randomWire(rnd),
                            randomInt(rnd)));
                }
            }
            assertSameBytes(randomInt(rnd), resources, channels);
        }
    }

    /** Strings that never come from the wire (lone surrogates, say) are escaped as Jackson's UTF-8 generator does. */
    @Test
    void anyJavaStringIsEscapedAsJacksonsUtf8GeneratorDoes() throws IOException {
        Random rnd = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            char[] cs = new char[rnd.nextInt(12)];
            for (int i = 0; i < cs.length; i++) {
                cs[i] = switch (rnd.nextInt(4)) {
                    case 0 -> (char) rnd.nextInt(0x80);
                    case 1 -> (char) (0xD800 + rnd.nextInt(0x800));
                    case 2 -> (char) rnd.nextInt(0x800);
                    default -> (char) rnd.nextInt(0x10000);
                };
            }
            String s = new String(cs);
            ByteArrayOutputStream jackson = new ByteArrayOutputStream();
            try (JsonGenerator g = new JsonFactory().createGenerator(jackson, JsonEncoding.UTF8)) {
                g.writeString(s);
            }
            StringBuilder ours = new StringBuilder();
            StatsWriter.writeString(ours, s);
            assertThat(ours.toString().getBytes(StandardCharsets.UTF_8)).as("%s", Arrays.toString(cs))
                    .isEqualTo(jackson.toByteArray());
        }
    }

    /** Any double, including those the server cannot produce (NaN, infinities, -0.0), is written as Jackson writes it. */
    @Test
    void anyDoubleIsWrittenAsJacksonWritesIt() throws IOException {
        Random rnd = new Random(11);
        List<Double> values = new ArrayList<>(List.of(0.0, -0.0, 1e-9, 1e-3, 1e7, 31.523412851, Double.MIN_VALUE,
                Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
        for (int n = 0; n < 5000; n++) {
            values.add(n % 2 == 0 ? Double.longBitsToDouble(rnd.nextLong()) : rnd.nextLong() / 1e9);
        }
        for (double d : values) {
            ByteArrayOutputStream jackson = new ByteArrayOutputStream();
            try (JsonGenerator g = new JsonFactory().createGenerator(jackson, JsonEncoding.UTF8)) {
                g.writeStartObject();
                g.writeNumberField("connections", 0);
                for (String empty : List.of("locks", "semaphores", "rw_locks")) {
                    g.writeArrayFieldStart(empty);
                    g.writeEndArray();
                }
                g.writeArrayFieldStart("idle_locks");
                g.writeStartObject();
                g.writeStringField("key", "k");
                g.writeNumberField("idle_s", d);
                g.writeEndObject();
                g.writeEndArray();
                for (String empty : List.of("idle_semaphores", "counters", "kv_entries", "lists")) {
                    g.writeArrayFieldStart(empty);
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            Stats s = new Stats(0, List.of(), List.of(), List.of(new Stats.IdleStat("k", d)), List.of(), List.of());
            assertThat(StatsWriter.write(s, false).getBytes(StandardCharsets.UTF_8)).as("%s", d)
                    .isEqualTo(jackson.toByteArray());
        }
    }

    private static void assertSameBytes(int connections, List<ResourceSnapshot> resources, List<ChannelStat> channels) {
        assertSameBytes(connections, resources, EMPTY, channels);
    }

    private static final DataStore EMPTY = new DataStore(LockSettings.defaults(), new ManualTime(), new ManualTime(),
            LockEvents.NONE);

    private static void assertSameBytes(int connections, List<ResourceSnapshot> resources, DataStore data,
            List<ChannelStat> channels) {
        // the ungrouped channels serve as watched patterns
        List<ChannelStat> watches = channels == null ? List.of()
                : channels.stream().filter(c -> c.group() == null).toList();
        byte[] expected = JacksonStatsReference.render(connections, resources, data, channels, watches);
        byte[] actual = ServerStats.render(connections, resources, data, channels, watches, null);
        assertThat(new String(actual, StandardCharsets.UTF_8)).isEqualTo(new String(expected, StandardCharsets.UTF_8));
        assertThat(actual).isEqualTo(expected);
        // what a client reads back, written again (dflockctl stats --json), is what the server sent
        String json = new String(actual, StandardCharsets.UTF_8);
        assertThat(StatsWriter.write(Stats.parse(json), channels != null)).isEqualTo(json);
        // a cluster node's reply is the same object with "cluster" appended
        String clustered = new String(ServerStats.render(connections, resources, data, channels, watches, CLUSTER),
                StandardCharsets.UTF_8);
        assertThat(clustered).isEqualTo(json.substring(0, json.length() - 1) + ",\"cluster\":{\"node_id\":\"n2\","
                + "\"role\":\"follower\",\"term\":4,\"leader_id\":\"n1\",\"leader_addr\":\"127.0.0.1:6388\","
                + "\"commit_index\":12,\"applied_index\":11,\"snapshot_index\":10,\"follower_mode\":\"redirect\","
                + "\"voters\":[{\"id\":\"n1\",\"raft_addr\":\"127.0.0.1:7001\","
                + "\"client_addr\":\"127.0.0.1:6388\"},{\"id\":\"n9\",\"raft_addr\":\"127.0.0.1:7009\","
                + "\"client_addr\":null}]}}");
        assertThat(StatsWriter.write(Stats.parse(clustered), channels != null)).isEqualTo(clustered);
    }

    private static final ClusterStatus CLUSTER = new ClusterStatus("n2", "follower", 4, "n1", "127.0.0.1:6388", 12, 11, 10,
            "redirect", List.of(new ClusterStatus.Voter("n1", "127.0.0.1:7001", "127.0.0.1:6388"),
                    new ClusterStatus.Voter("n9", "127.0.0.1:7009", null)));

    private static ResourceSnapshot lock(String key, long owner, long leaseLeftNanos, int waiters) {
        return new ResourceSnapshot(key, 1, owner == 0 ? 0 : 1, waiters, owner, leaseLeftNanos, 0);
    }

    /** The wire form (Latin-1, one char per byte) of a key sent as UTF-8. */
    private static String wire(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    /** The wire form of raw bytes, valid UTF-8 or not. */
    private static String bytes(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String randomWire(Random rnd) {
        byte[] b = new byte[rnd.nextInt(10)];
        rnd.nextBytes(b);
        String s = new String(b, StandardCharsets.ISO_8859_1);
        return rnd.nextBoolean() ? s : s + wire("é€\uD83D\uDE00\"\\") + s;
    }

    private static int randomInt(Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> rnd.nextInt(10);
            case 1 -> Integer.MAX_VALUE;
            case 2 -> Integer.MIN_VALUE;
            default -> rnd.nextInt();
        };
    }

    private static long randomLong(Random rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> 0;
            case 1 -> rnd.nextInt(2_000_000_000);
            case 2 -> Long.MAX_VALUE;
            case 3 -> rnd.nextLong() % 1_000_000_000_000L;
            default -> rnd.nextLong();
        };
    }

    /**
     * REFERENCE ONLY: the server's former {@code stats} renderer ({@code StatsJson}, Jackson's
     * streaming generator), copied unchanged except for its name; nothing outside this test uses it.
     */
    static final class JacksonStatsReference {
        private static final JsonFactory JSON = new JsonFactory();
        private static final double NANOS_PER_SECOND = 1e9;

        private JacksonStatsReference() {
        }

        static byte[] render(int connections, List<ResourceSnapshot> resources, DataStore data,
                List<ChannelStat> channels, List<ChannelStat> watches) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256 + resources.size() * 96);
            try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                g.writeStartObject();
                g.writeNumberField("connections", connections);
                g.writeArrayFieldStart("locks");
                for (ResourceSnapshot r : resources) {
                    if (!r.readWrite() && r.limit() == 1 && r.active()) {
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
                    if (!r.readWrite() && r.limit() != 1 && r.active()) {
                        g.writeStartObject();
                        g.writeStringField("key", text(r.key()));
                        g.writeNumberField("limit", r.limit());
                        g.writeNumberField("holders", r.holders());
                        g.writeNumberField("waiters", r.waiters());
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
                // read-write locks (PROTOCOL.md §10), after the semaphores as upstream redis-feats writes them
                g.writeArrayFieldStart("rw_locks");
                for (ResourceSnapshot r : resources) {
                    if (r.readWrite() && r.active()) {
                        g.writeStartObject();
                        g.writeStringField("key", text(r.key()));
                        g.writeNumberField("readers", r.readers());
                        g.writeBooleanField("writer", r.writer());
                        g.writeNumberField("waiters", r.waiters());
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
                writeIdle(g, "idle_locks", resources, true);
                writeIdle(g, "idle_semaphores", resources, false);
                // the data store (PROTOCOL.md §10), where upstream redis-feats writes it
                g.writeArrayFieldStart("counters");
                for (DataStats.CounterStat c : data.counterStats()) {
                    g.writeStartObject();
                    g.writeStringField("key", text(c.key()));
                    g.writeNumberField("value", c.value());
                    g.writeNumberField("idle_s", c.idleNanos() / NANOS_PER_SECOND);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeArrayFieldStart("kv_entries");
                for (DataStats.EntryStat e : data.entryStats()) {
                    g.writeStartObject();
                    g.writeStringField("key", text(e.key()));
                    g.writeNumberField("value_len", e.valueLength());
                    g.writeNumberField("ttl", e.ttlLeftNanos() / NANOS_PER_SECOND);
                    g.writeNumberField("idle_s", e.idleNanos() / NANOS_PER_SECOND);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeArrayFieldStart("lists");
                for (DataStats.ListStat l : data.listStats()) {
                    g.writeStartObject();
                    g.writeStringField("key", text(l.key()));
                    g.writeNumberField("len", l.length());
                    if (l.popWaiters() != 0) {
                        g.writeNumberField("pop_waiters", l.popWaiters());
                    }
                    g.writeNumberField("idle_s", l.idleNanos() / NANOS_PER_SECOND);
                    g.writeEndObject();
                }
                g.writeEndArray();
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
                    g.writeArrayFieldStart("watch_channels");
                    for (ChannelStat w : watches) {
                        g.writeStartObject();
                        g.writeStringField("pattern", text(w.pattern()));
                        g.writeNumberField("watchers", w.listeners());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeArrayFieldStart("barriers");
                    for (BarrierSnapshot b : data.barriers().snapshot()) {
                        g.writeStartObject();
                        g.writeStringField("key", text(b.key()));
                        g.writeNumberField("count", b.count());
                        g.writeNumberField("participants", b.participants());
                        g.writeNumberField("idle_s", b.idleNanos() / NANOS_PER_SECOND);
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
                if (!r.readWrite() && (r.limit() == 1) == locks && !r.active()) {
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
}
