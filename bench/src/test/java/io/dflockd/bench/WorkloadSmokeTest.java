package io.dflockd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dflockd.bench.cli.BenchCli;
import io.dflockd.bench.wire.DataSession;
import io.dflockd.server.DflockdServer;
import io.dflockd.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every workload runs to completion at tiny sizes against an embedded server, with both clients
 * ({@code data}: the raw one only): zero errors and the expected counts. Speed is never asserted.
 */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class WorkloadSmokeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static DflockdServer server;

    @BeforeAll
    static void start() throws Exception {
        server = DflockdServer.start(ServerConfig.builder().host("127.0.0.1").port(0).maxLocks(10_000).build());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Runs the tool with {@code --json} and returns its results; fails on a non-zero exit. */
    private static List<JsonNode> run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--port", Integer.toString(server.port()), "--json"));
        int rc = BenchCli.execute(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).as("exit code; stderr: %s", err.toString(StandardCharsets.UTF_8)).isZero();
        List<JsonNode> results = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                results.add(JSON.readTree(line));
            }
        }
        return results;
    }

    private static JsonNode single(String... args) throws Exception {
        List<JsonNode> r = run(args);
        assertThat(r).hasSize(1);
        return r.get(0);
    }

    private static void assertClean(JsonNode r, String workload, long operations) {
        assertThat(r.get("workload").asText()).isEqualTo(workload);
        assertThat(r.get("errors").asLong()).as("errors: %s", r.path("first_error").asText()).isZero();
        assertThat(r.get("operations").asLong()).isEqualTo(operations);
        assertThat(r.get("per_second").asDouble()).isPositive();
    }

    private static String[] withClient(String client, String... args) {
        return client.equals("raw") ? Stream.concat(Stream.of(args), Stream.of("--raw")).toArray(String[]::new) : args;
    }

    @ParameterizedTest
    @ValueSource(strings = {"library", "raw"})
    void ping(String client) throws Exception {
        JsonNode r = single(withClient(client, "ping", "-w", "2", "-r", "20", "--warmup", "5"));
        assertClean(r, "ping", 40);
        assertThat(r.get("latency_us").get("ping").get("count").asLong()).isEqualTo(40);
        assertThat(r.get("client").asText()).contains(client.equals("raw") ? "raw" : "library");
    }

    @ParameterizedTest
    @ValueSource(strings = {"library", "raw"})
    void locksWithPingBaselineAndServerCpu(String client) throws Exception {
        String pid = Long.toString(ProcessHandle.current().pid()); // the server is embedded here
        List<JsonNode> r = run(withClient(client, "locks", "-w", "3", "-r", "20", "-c", "2", "--warmup", "5",
                "--ping-baseline", "--server-pid", pid));
        assertThat(r).hasSize(2);
        assertClean(r.get(0), "ping", 120);
        JsonNode locks = r.get(1);
        assertClean(locks, "locks", 60);
        assertThat(locks.get("latency_us").get("pair").get("count").asLong()).isEqualTo(60);
        assertThat(locks.get("figures").get("ratio_to_ping").asDouble()).isPositive();
        assertThat(locks.has("server_cpu_s_per_100k")).isTrue();
    }

    @Test
    void locksRepeatedReportsTheMedianRatio() throws Exception {
        List<JsonNode> r = run("locks", "-w", "2", "-r", "10", "--warmup", "2", "--ping-baseline", "--repeat", "3");
        assertThat(r).hasSize(6);
        for (int i = 0; i < 6; i += 2) {
            assertClean(r.get(i), "ping", 40);
            assertClean(r.get(i + 1), "locks", 20);
        }
        assertThat(r.get(5).get("figures").get("median_ratio_to_ping").asDouble()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"library", "raw"})
    void contended(String client) throws Exception {
        assertClean(single(withClient(client, "contended", "-w", "3", "-r", "20", "--warmup", "2")), "contended", 60);
    }

    @ParameterizedTest
    @ValueSource(strings = {"library", "raw"})
    void semaphore(String client) throws Exception {
        assertClean(single(withClient(client, "semaphore", "-w", "4", "-r", "20", "-n", "2", "--warmup", "2")),
                "semaphore", 80);
    }

    @ParameterizedTest
    @ValueSource(strings = {"library", "raw"})
    void rwlock(String client) throws Exception {
        JsonNode r = single(withClient(client, "rwlock", "-w", "4", "-r", "25", "-f", "0.5", "--warmup", "2"));
        assertClean(r, "rwlock", 100);
        long reads = r.get("latency_us").get("acquire_read").get("count").asLong();
        long writes = r.get("latency_us").get("acquire_write").get("count").asLong();
        assertThat(reads + writes).isEqualTo(100);
        assertThat(r.get("figures").get("reads").asLong()).isEqualTo(reads);
        assertThat(reads).as("reads at 0.5 of 100 rounds").isBetween(20L, 80L);
    }

    @Test
    void expiry() throws Exception {
        JsonNode r = single("expiry", "-k", "2", "-r", "1", "--lease", "1");
        assertClean(r, "expiry", 2);
        assertThat(r.get("latency_us").get("lateness").get("count").asLong()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"library", "raw"})
    void fanout(String client) throws Exception {
        JsonNode r = single(withClient(client, "fanout", "-l", "3", "-s", "50", "--warmup", "5"));
        assertClean(r, "fanout", 150);
        assertThat(r.get("figures").get("server_reported_deliveries").asLong()).isEqualTo(150);
    }

    @Test
    void fanoutPipelined() throws Exception {
        JsonNode r = single("fanout", "-l", "3", "-s", "50", "--warmup", "5", "--raw", "--window", "8");
        assertClean(r, "fanout", 150);
        assertThat(r.get("figures").get("server_reported_deliveries").asLong()).isEqualTo(150);
    }

    @Test
    void idleReportsMemory() throws Exception {
        String pid = Long.toString(ProcessHandle.current().pid());
        JsonNode r = single("idle", "-n", "20", "-k", "30", "--hold", "0", "--server-pid", pid);
        assertClean(r, "idle", 50);
        assertThat(r.get("figures").get("rss_connections_and_locks_mb").asDouble()).isPositive();
    }

    /** A fresh raw connection to the server, to look at what a data run left. */
    private static DataSession data() throws Exception {
        return DataSession.open(new InetSocketAddress("127.0.0.1", server.port()));
    }

    @Test
    void dataIncrOnOneCounter() throws Exception {
        String pid = Long.toString(ProcessHandle.current().pid());
        JsonNode r = single("data", "--op", "incr", "--raw", "-w", "3", "-r", "20", "-c", "2", "--warmup", "5",
                "--key", "smoke-counter", "--server-pid", pid);
        assertClean(r, "data-incr", 60);
        assertThat(r.get("latency_us").get("incr").get("count").asLong()).isEqualTo(60);
        assertThat(r.has("server_cpu_s_per_100k")).isTrue();
        try (DataSession s = data()) {
            assertThat(s.get("smoke-counter")).as("3 workers x (5 warm-up + 20) incrs").isEqualTo(75);
        }
    }

    @Test
    void dataKvPairs() throws Exception {
        JsonNode r = single("data", "--op", "kv", "--raw", "-w", "3", "-r", "20", "--warmup", "5", "--key", "smoke-kv");
        assertClean(r, "data-kv", 60);
        assertThat(r.get("latency_us").get("kget").get("count").asLong()).isEqualTo(60);
        try (DataSession s = data()) {
            assertThat(s.kget("smoke-kv-0")).as("the entries are deleted at the end").isNull();
        }
    }

    @Test
    void dataQueueMovesEveryItemOnce() throws Exception {
        JsonNode r = single("data", "--op", "queue", "--raw", "-w", "4", "-r", "20", "-c", "2", "--warmup", "5",
                "--key", "smoke-queue");
        assertClean(r, "data-queue", 40);
        assertThat(r.get("latency_us").get("rpush").get("count").asLong()).isEqualTo(40);
        assertThat(r.get("latency_us").get("blpop").get("count").asLong()).isEqualTo(40);
        try (DataSession s = data()) {
            assertThat(s.llen("smoke-queue")).isZero();
        }
    }
}
