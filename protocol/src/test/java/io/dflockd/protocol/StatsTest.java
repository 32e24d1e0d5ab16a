package io.dflockd.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stats model read from and written to the §10 JSON: one reader, one writer. */
class StatsTest {

    @Test
    void parsesTheProtocolExample() {
        Stats s = Stats.parse("{\"connections\":3,\"locks\":[{\"key\":\"job-1\",\"owner_conn_id\":7,"
                + "\"lease_expires_in_s\":31.52,\"waiters\":1}],\"semaphores\":[{\"key\":\"pool\",\"limit\":3,"
                + "\"holders\":2,\"waiters\":0}],\"rw_locks\":[{\"key\":\"config\",\"readers\":2,\"writer\":false,"
                + "\"waiters\":1},{\"key\":\"w\",\"readers\":0,\"writer\":true,\"waiters\":0,\"fence\":9}],\"idle_locks\":[{\"key\":\"old-job\",\"idle_s\":12.3}],"
                + "\"idle_semaphores\":[],\"signal_channels\":[{\"pattern\":\"events.>\",\"group\":\"workers\","
                + "\"listeners\":2},{\"pattern\":\"events.user.login\",\"listeners\":1}]}");
        assertThat(s.connections()).isEqualTo(3);
        assertThat(s.locks()).containsExactly(new Stats.LockStat("job-1", 7, 31.52, 1));
        assertThat(s.lock("job-1")).isPresent();
        assertThat(s.lock("nope")).isEmpty();
        assertThat(s.semaphores()).containsExactly(new Stats.SemaphoreStat("pool", 3, 2, 0));
        assertThat(s.semaphore("pool").get().holders()).isEqualTo(2);
        assertThat(s.rwLocks()).containsExactly(new Stats.RwLockStat("config", 2, false, 1),
                new Stats.RwLockStat("w", 0, true, 0)); // upstream's fence is read and dropped
        assertThat(s.rwLock("w").get().writer()).isTrue();
        assertThat(s.idleLocks()).containsExactly(new Stats.IdleStat("old-job", 12.3));
        assertThat(s.idleSemaphores()).isEmpty();
        assertThat(s.signalChannels()).containsExactly(new Stats.SignalChannelStat("events.>", "workers", 2),
                new Stats.SignalChannelStat("events.user.login", null, 1));
    }

    @Test
    void ignoresUnknownFieldsAndToleratesMissingArrays() {
        Stats s = Stats.parse(" {\"connections\":1,\"shards\":{\"leader\":true,\"peers\":[1,2,{\"x\":null}]},"
                + "\"locks\":[{\"key\":\"k\",\"owner_conn_id\":1,\"lease_expires_in_s\":0,\"waiters\":0,\"fence\":9}],"
                + "\"semaphores\":[],\"idle_locks\":[],\"idle_semaphores\":[],\"future\":\"x\"} ");
        assertThat(s.connections()).isEqualTo(1);
        assertThat(s.locks()).hasSize(1);
        assertThat(s.signalChannels()).isEmpty();
        assertThat(s.rwLocks()).as("a server before read-write locks").isEmpty();
        assertThat(s.cluster()).as("a standalone server's stats").isNull();
        assertThat(Stats.parse("{}").locks()).isEmpty();
    }

    private static final String CLUSTER_JSON = "\"cluster\":{\"node_id\":\"n2\",\"role\":\"follower\",\"term\":7,"
            + "\"leader_id\":\"n1\",\"leader_addr\":\"127.0.0.1:6388\",\"commit_index\":10452,"
            + "\"applied_index\":10451,\"snapshot_index\":10000,\"follower_mode\":\"redirect\",\"voters\":[{\"id\":\"n1\",\"raft_addr\":\"127.0.0.1:7001\","
            + "\"client_addr\":\"127.0.0.1:6388\"},{\"id\":\"n2\",\"raft_addr\":\"127.0.0.1:7002\","
            + "\"client_addr\":\"127.0.0.1:6389\"}]}";

    private static Stats.ClusterStat follower() {
        return new Stats.ClusterStat("n2", "follower", 7, "n1", "127.0.0.1:6388", 10452, 10451, 10000, "redirect",
                List.of(new Stats.VoterStat("n1", "127.0.0.1:7001", "127.0.0.1:6388"),
                        new Stats.VoterStat("n2", "127.0.0.1:7002", "127.0.0.1:6389")));
    }

    @Test
    void writesTheClusterObjectLastAndReadsItBack() {
        Stats s = new Stats(1, List.of(), List.of(), List.of(), List.of(), List.of(), follower());
        String json = s.toJson();
        assertThat(json).isEqualTo("{\"connections\":1,\"locks\":[],\"semaphores\":[],\"rw_locks\":[],\"idle_locks\":[],"
                + "\"idle_semaphores\":[],\"counters\":[],\"kv_entries\":[],\"lists\":[],\"signal_channels\":[],"
                + "\"watch_channels\":[],\"barriers\":[],"
                + CLUSTER_JSON + "}");
        assertThat(Stats.parse(json)).isEqualTo(s);
        assertThat(StatsWriter.write(s, false)).contains("\"lists\":[]," + CLUSTER_JSON);
        assertThat(Stats.parse(StatsWriter.write(s, false)).cluster()).isEqualTo(follower());
    }

    @Test
    void aClusterWithoutLeaderHasNullLeaderFields() {
        Stats.ClusterStat candidate = new Stats.ClusterStat("n1", "candidate", 3, null, null, 5, 5, 0, "forward", List.of());
        Stats s = new Stats(0, List.of(), List.of(), List.of(), List.of(), List.of(), candidate);
        assertThat(s.toJson()).contains("\"leader_id\":null,\"leader_addr\":null,");
        assertThat(Stats.parse(s.toJson()).cluster()).isEqualTo(candidate);
        assertThat(Stats.parse("{\"cluster\":{\"node_id\":\"n1\",\"role\":\"follower\",\"extra\":1}}").cluster())
                .as("absent fields, unknown fields").isEqualTo(new Stats.ClusterStat("n1", "follower", 0, null, null, 0, 0,
                        0, null, List.of()));
    }

    @Test
    void withoutAClusterTheOutputIsTheStandaloneOne() {
        Stats s = new Stats(1, List.of(), List.of(), List.of(), List.of(), List.of());
        assertThat(s).isEqualTo(new Stats(1, List.of(), List.of(), List.of(), List.of(), List.of(), null));
        assertThat(s.toJson()).doesNotContain("cluster").endsWith("\"signal_channels\":[],\"watch_channels\":[],\"barriers\":[]}");
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonReaderHandlesEscapesNumbersAndLiterals() {
        Object v = JsonReader.parse("{\"a\":\"q\\\"b\\\\s\\/\\n\\t\\u00e9\\u20ac\",\"n\":[-0,1.5e3,-2E-2,123456789012],"
                + "\"t\":true,\"f\":false,\"z\":null}");
        Map<?, ?> m = (Map<?, ?>) v;
        assertThat(m.get("a")).isEqualTo("q\"b\\s/\n\té€");
        assertThat((List<Object>) m.get("n")).containsExactly(0L, 1500.0, -0.02, 123456789012L);
        assertThat(m.get("t")).isEqualTo(true);
        assertThat(m.get("f")).isEqualTo(false);
        assertThat(m.containsKey("z")).isTrue();
        assertThat(m.get("z")).isNull();
        assertThat(JsonReader.parse("\"ключ\"")).isEqualTo("ключ");
    }

    @Test
    void jsonReaderRejectsMalformedInput() {
        for (String bad : new String[] {"", "{", "{\"a\"}", "{\"a\":1,}", "[1 2]", "01", "1.", "-", "tru", "\"a",
                "\"\\x\"", "{} x", "{\"a\":\"\u0001\"}", "[".repeat(100) + "]".repeat(100), "\"\\u12\""}) {
            assertThatThrownBy(() -> JsonReader.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("invalid JSON at offset");
        }
    }

    @Test
    void statsRejectsWrongTypes() {
        assertThatThrownBy(() -> Stats.parse("[]")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> Stats.parse("{\"locks\":{}}")).hasMessageContaining("'locks' is not an array");
        assertThatThrownBy(() -> Stats.parse("{\"locks\":[1]}")).hasMessageContaining("non-object");
        assertThatThrownBy(() -> Stats.parse("{\"locks\":[{\"waiters\":1}]}")).hasMessageContaining("'key'");
        assertThatThrownBy(() -> Stats.parse("{\"connections\":1.5}")).hasMessageContaining("not an integer");
        assertThatThrownBy(() -> Stats.parse("{\"cluster\":[]}")).hasMessageContaining("'cluster' is not an object");
        assertThatThrownBy(() -> Stats.parse("{\"cluster\":{\"role\":\"leader\"}}")).hasMessageContaining("'node_id'");
        assertThatThrownBy(() -> Stats.parse("{\"cluster\":{\"node_id\":\"n1\",\"role\":\"leader\",\"term\":\"7\"}}"))
                .hasMessageContaining("'term' is not an integer");
        assertThatThrownBy(() -> Stats.parse("{\"cluster\":{\"node_id\":\"n1\",\"role\":\"leader\",\"leader_id\":1}}"))
                .hasMessageContaining("'leader_id'");
    }

    @Test
    void writesTheProtocolExampleFieldForField() {
        Stats s = new Stats(3, List.of(new Stats.LockStat("job-1", 7, 31.52, 1)),
                List.of(new Stats.SemaphoreStat("pool", 3, 2, 0)), List.of(new Stats.RwLockStat("config", 2, false, 1)),
                List.of(new Stats.IdleStat("old-job", 12.3)), List.of(),
                List.of(new Stats.CounterStat("hits", -9223372036854775808L, 0.5)),
                List.of(new Stats.KvEntryStat("cfg", 5, 29.75, 0.25), new Stats.KvEntryStat("forever", 1, 0.0, 3.0)),
                List.of(new Stats.ListStat("jobs", 2, 0, 1.0), new Stats.ListStat("waited", 0, 3, 0.0)),
                List.of(new Stats.SignalChannelStat("events.>", "workers", 2),
                        new Stats.SignalChannelStat("events.user.login", null, 1)),
                List.of(new Stats.WatchChannelStat("jobs.*", 2)), List.of(new Stats.BarrierStat("stage-2", 3, 1, 4.5)),
                null);
        assertThat(s.toJson()).isEqualTo("{\"connections\":3,\"locks\":[{\"key\":\"job-1\",\"owner_conn_id\":7,"
                + "\"lease_expires_in_s\":31.52,\"waiters\":1}],\"semaphores\":[{\"key\":\"pool\",\"limit\":3,"
                + "\"holders\":2,\"waiters\":0}],\"rw_locks\":[{\"key\":\"config\",\"readers\":2,\"writer\":false,"
                + "\"waiters\":1}],\"idle_locks\":[{\"key\":\"old-job\",\"idle_s\":12.3}],"
                + "\"idle_semaphores\":[],\"counters\":[{\"key\":\"hits\",\"value\":-9223372036854775808,"
                + "\"idle_s\":0.5}],\"kv_entries\":[{\"key\":\"cfg\",\"value_len\":5,\"ttl\":29.75,\"idle_s\":0.25},"
                + "{\"key\":\"forever\",\"value_len\":1,\"ttl\":0.0,\"idle_s\":3.0}],\"lists\":[{\"key\":\"jobs\","
                + "\"len\":2,\"idle_s\":1.0},{\"key\":\"waited\",\"len\":0,\"pop_waiters\":3,\"idle_s\":0.0}],"
                + "\"signal_channels\":[{\"pattern\":\"events.>\",\"group\":\"workers\","
                + "\"listeners\":2},{\"pattern\":\"events.user.login\",\"listeners\":1}],"
                + "\"watch_channels\":[{\"pattern\":\"jobs.*\",\"watchers\":2}],"
                + "\"barriers\":[{\"key\":\"stage-2\",\"count\":3,\"participants\":1,\"idle_s\":4.5}]}");
        assertThat(StatsWriter.write(s, false)).doesNotContain("signal_channels").doesNotContain("barriers")
                .endsWith("\"idle_s\":0.0}]}");
        assertThat(Stats.parse(s.toJson())).isEqualTo(s);
    }

    @Test
    void writerEscapesAsJacksonsUtf8GeneratorDoes() {
        StringBuilder b = new StringBuilder();
        StatsWriter.writeString(b, "q\"b\\s/\b\t\n\f\r\u0000\u001f\u007f é€\uD83D\uDE00\uDC00");
        assertThat(b).hasToString("\"q\\\"b\\\\s/\\b\\t\\n\\f\\r\\u0000\\u001F\u007f é€\\uD83D\\uDE00\\uDC00\"");
        b.setLength(0);
        StatsWriter.writeString(b, null);
        assertThat(b).hasToString("null");
    }

    @Test
    void writerFormatsNumbersAsDoubleToString() {
        Stats s = new Stats(Long.MAX_VALUE, List.of(new Stats.LockStat("a", Long.MIN_VALUE, 0.0, Integer.MAX_VALUE),
                new Stats.LockStat("b", 0, 1.0E-4, 0), new Stats.LockStat("c", 0, 9.223372036854776E9, 0)),
                List.of(), List.of(new Stats.IdleStat("n", Double.NaN), new Stats.IdleStat("i", Double.NEGATIVE_INFINITY)),
                List.of(), List.of());
        String json = s.toJson();
        assertThat(json).startsWith("{\"connections\":9223372036854775807,")
                .contains("\"owner_conn_id\":-9223372036854775808,\"lease_expires_in_s\":0.0,\"waiters\":2147483647}")
                .contains("\"lease_expires_in_s\":1.0E-4,").contains("\"lease_expires_in_s\":9.223372036854776E9,")
                .contains("\"idle_s\":\"NaN\"").contains("\"idle_s\":\"-Infinity\"");
    }

    @Test
    void whatTheWriterWritesTheReaderReadsBack() {
        String awkward = "k\"\\\u0000\u001f\u00e9\u20ac\uD83D\uDE00\uFFFD/";
        Stats s = new Stats(2, List.of(new Stats.LockStat(awkward, 5, 1.5, 2)),
                List.of(new Stats.SemaphoreStat(awkward, 4, 3, 1)), List.of(), List.of(new Stats.IdleStat("i", 1e-9)),
                List.of(new Stats.SignalChannelStat(awkward, awkward, 1)));
        assertThat(Stats.parse(s.toJson())).isEqualTo(s);
        assertThat(Stats.parse(StatsWriter.write(s, false)).signalChannels()).isEmpty();
    }
}
