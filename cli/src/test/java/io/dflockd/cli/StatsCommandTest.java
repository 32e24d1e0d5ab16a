package io.dflockd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dflockd.client.DistributedLock;
import io.dflockd.client.DistributedSemaphore;
import io.dflockd.client.SignalConn;
import io.dflockd.server.DflockdServer;
import io.dflockd.testing.RefusedPort;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code dflockctl stats}: tables, JSON and watch mode against what the Java client holds. */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class StatsCommandTest {
    private static DflockdServer server;
    private static DflockdServer second;

    @BeforeAll
    static void startServers() {
        server = TestServer.start();
        second = TestServer.start();
    }

    @AfterAll
    static void stopServers() {
        server.close();
        second.close();
    }

    private String servers() {
        return "--servers=" + TestServer.address(server);
    }

    @Test
    void tablesShowLocksSemaphoresAndSignalChannels() {
        String lockKey = TestServer.key("tbl-lock");
        String semKey = TestServer.key("tbl-sem");
        try (DistributedLock lock = DistributedLock.builder(lockKey).config(TestServer.config(server))
                        .leaseTtl(Duration.ofSeconds(300)).build().acquireOrThrow();
                DistributedSemaphore sem = DistributedSemaphore.builder(semKey, 3).config(TestServer.config(server))
                        .build().acquireOrThrow();
                SignalConn signals = SignalConn.builder().config(TestServer.config(server)).connect()) {
            assertThat(lock.isHeld() && sem.isHeld()).isTrue();
            signals.listen("tbl.*", "workers");
            Dflockctl.Result r = Dflockctl.run(servers(), "stats");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("server " + TestServer.address(server) + "   connections: ");
            assertThat(r.stdout()).containsPattern("(?m)^  " + lockKey + " +conn \\d+ +\\d+\\.\\ds +0$");
            assertThat(r.stdout()).containsPattern("(?m)^  " + semKey + " +1 +3 +0$");
            assertThat(r.stdout()).containsPattern("(?m)^  tbl\\.\\* +workers +1$");
            assertThat(r.stdout()).contains("Locks:", "Semaphores:", "Idle (awaiting garbage collection):",
                    "Signal channels:");
        }
    }

    @Test
    void tablesShowCountersEntriesListsBarriersAndWatches() throws Exception {
        String counter = TestServer.key("tbl-counter");
        String entry = TestServer.key("tbl-entry");
        String list = TestServer.key("tbl-list");
        String barrier = TestServer.key("tbl-barrier");
        try (io.dflockd.client.DflockdConnection c = io.dflockd.client.DflockdConnection.open(TestServer.config(server));
                io.dflockd.client.DflockdConnection waiting = io.dflockd.client.DflockdConnection.open(
                        TestServer.config(server));
                SignalConn watcher = SignalConn.builder().config(TestServer.config(server)).connect()) {
            c.data().incr(counter, 7);
            c.data().kset(entry, "blue", Duration.ofMinutes(5));
            c.data().rpush(list, "a");
            c.data().rpush(list, "b");
            java.util.concurrent.CompletableFuture<Boolean> party = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> waiting.data().bwait(barrier, 2, Duration.ofSeconds(30)));
            watcher.watch("tbl.>");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Dflockctl.Result r = Dflockctl.run(servers(), "stats");
                assertThat(r.exitCode()).as(r.stderr()).isZero();
                assertThat(r.stdout()).containsPattern("(?m)^  " + java.util.regex.Pattern.quote(counter) + " +counter +7 +-$");
                assertThat(r.stdout()).containsPattern("(?m)^  " + java.util.regex.Pattern.quote(entry) + " +entry +4 bytes +\\d+\\.\\ds$");
                assertThat(r.stdout()).containsPattern("(?m)^  " + java.util.regex.Pattern.quote(list) + " +list +2 items +-$");
                assertThat(r.stdout()).containsPattern("(?m)^  " + java.util.regex.Pattern.quote(barrier) + " +1 +2$");
                assertThat(r.stdout()).containsPattern("(?m)^  tbl\\.> +1$");
            });
            assertThat(c.data().bwait(barrier, 2, Duration.ofSeconds(10))).isTrue();
            assertThat(party.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void jsonCarriesTheWireFieldNames() throws Exception {
        String key = TestServer.key("json");
        try (DistributedLock lock = DistributedLock.builder(key).config(TestServer.config(server)).build()
                .acquireOrThrow()) {
            Dflockctl.Result r = Dflockctl.run(servers(), "stats", "--json");
            assertThat(r.exitCode()).as(r.stderr()).isZero();
            assertThat(lock.isHeld()).isTrue();
            JsonNode root = new ObjectMapper().readTree(r.stdout());
            JsonNode entry = root.get("servers").get(0);
            assertThat(entry.get("server").asText()).isEqualTo(TestServer.address(server));
            assertThat(entry.get("connections").asLong()).isPositive();
            JsonNode lockNode = null;
            for (JsonNode l : entry.get("locks")) {
                if (l.get("key").asText().equals(key)) {
                    lockNode = l;
                }
            }
            assertThat(lockNode).as("lock %s in %s", key, r.stdout()).isNotNull();
            assertThat(lockNode.get("owner_conn_id").asLong()).isPositive();
            assertThat(lockNode.get("lease_expires_in_s").asDouble()).isPositive();
            assertThat(lockNode.get("waiters").asInt()).isZero();
            assertThat(entry.has("semaphores") && entry.has("idle_locks") && entry.has("idle_semaphores")
                    && entry.has("signal_channels")).isTrue();
        }
    }

    @Test
    void asksEveryServerInOrder() throws Exception {
        Dflockctl.Result r = Dflockctl.run("--servers=" + TestServer.address(server, second), "stats", "--json");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        JsonNode list = new ObjectMapper().readTree(r.stdout()).get("servers");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("server").asText()).isEqualTo(TestServer.address(server));
        assertThat(list.get(1).get("server").asText()).isEqualTo(TestServer.address(second));
    }

    @Test
    void anUnreachableServerIsReportedAfterTheOthers() {
        try (RefusedPort refused = new RefusedPort()) {
            String dead = refused.hostPort();
            Dflockctl.Result r = Dflockctl.run("--servers=" + TestServer.address(server) + "," + dead, "stats");
            assertThat(r.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(r.stdout()).contains("server " + TestServer.address(server));
            assertThat(r.stderrLines()).singleElement().asString()
                    .isEqualTo("dflockctl: " + dead + ": connection refused");
        }
    }

    @Test
    void watchRedrawsUntilStopped() {
        String key = TestServer.key("watch");
        try (DistributedLock lock = DistributedLock.builder(key).config(TestServer.config(server)).build()
                .acquireOrThrow()) {
            assertThat(lock.isHeld()).isTrue();
            Dflockctl.Running run = Dflockctl.start(servers(), "stats", "--watch");
            try {
                // two frames, each starting with the clear-screen sequence and showing the lock
                await().atMost(Duration.ofSeconds(60)).until(() -> run.stdout().split("\033\\[H\033\\[2J").length >= 3);
                String[] frames = run.stdout().split("\033\\[H\033\\[2J");
                assertThat(frames[1]).contains("dflockctl stats --watch").contains(key);
                assertThat(frames[2]).contains(key);
                assertThat(run.isAlive()).isTrue();
            } finally {
                run.kill();
            }
        }
    }
}
