package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Key watches over real TCP (PROTOCOL.md §6.19, §9.14): the {@code watch <event> <key>} lines of
 * locks, semaphores, read-write locks, elections and data commands, byte for byte; one line per connection; the
 * shared subscription cap; {@code watch_channels} in stats; bad patterns.
 */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class WatchProtocolTest {
    private ServerFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new ServerFixture(b -> b.maxSubscriptions(2));
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    /** A connection whose {@code watch} of each pattern was answered; the pushes it gets come next. */
    private RawPeer watcher(String... patterns) throws Exception {
        RawPeer w = fx.connect();
        for (String p : patterns) {
            assertThat(w.call("watch", p, "")).isEqualTo("ok");
        }
        return w;
    }

    private static void assertPush(RawPeer w, String line) throws Exception {
        assertThat(w.lineBytes()).as(line).isEqualTo(line.getBytes(StandardCharsets.UTF_8));
    }

    private static String token(String grant) {
        assertThat(grant).matches("(ok|acquired) [0-9a-f]{32} [0-9]+");
        return grant.split(" ")[1];
    }

    @Test
    void everyGrantAndEveryEndOfASlotIsPushed() throws Exception {
        try (RawPeer w = watcher("jobs.*"); RawPeer a = fx.connect(); RawPeer b = fx.connect()) {
            String first = token(a.call("l", "jobs.1", "0 30"));
            assertPush(w, "watch acquire jobs.1");
            b.send("l", "jobs.1", "10 30");
            fx.awaitLockWaiters("jobs.1", 1);
            assertThat(a.call("r", "jobs.1", first)).isEqualTo("ok");
            assertPush(w, "watch release jobs.1");
            assertPush(w, "watch acquire jobs.1");
            token(b.line());
            b.close();
            assertPush(w, "watch release jobs.1"); // the disconnect cleanup

            String sem = token(a.call("sl", "jobs.pool", "0 3 30"));
            assertThat(a.call("sr", "jobs.pool", sem)).isEqualTo("ok");
            token(a.call("wl", "jobs.rw", "0 1"));
            assertThat(a.call("e", "jobs.two", "30")).startsWith("acquired ");
            assertPush(w, "watch acquire jobs.pool");
            assertPush(w, "watch release jobs.pool");
            assertPush(w, "watch acquire jobs.rw");
            assertPush(w, "watch acquire jobs.two");
            w.timeout(5000);
            assertPush(w, "watch release jobs.rw"); // its 1 s lease ran out
            w.timeout(0);
            a.call("l", "other", "0 30");
            w.assertSilent(300);
        }
    }

    @Test
    void electAndResignArePushedAsSuch() throws Exception {
        try (RawPeer w = watcher("svc"); RawPeer a = fx.connect(); RawPeer b = fx.connect()) {
            String leader = token(a.call("elect", "svc", "0 30"));
            b.send("elect", "svc", "10 30");
            fx.awaitLockWaiters("svc", 1);
            assertThat(a.call("resign", "svc", leader)).isEqualTo("ok");
            String next = token(b.line());
            assertThat(b.call("r", "svc", next)).isEqualTo("ok");
            assertPush(w, "watch elect svc");
            assertPush(w, "watch resign svc");
            assertPush(w, "watch elect svc");
            assertPush(w, "watch release svc");
        }
    }

    @Test
    void dataChangesArePushedWithTheCommandThatMadeThem() throws Exception {
        try (RawPeer w = watcher("d.>"); RawPeer a = fx.connect()) {
            assertThat(a.call("incr", "d.n", "2")).isEqualTo("ok 2");
            assertThat(a.call("decr", "d.n", "1")).isEqualTo("ok 1");
            assertThat(a.call("kset", "d.kv", "v")).isEqualTo("ok");
            assertThat(a.call("kdel", "d.kv", "")).isEqualTo("ok");
            assertThat(a.call("rpush", "d.list", "x")).isEqualTo("ok 1");
            assertThat(a.call("lpop", "d.list", "")).isEqualTo("ok x");
            assertThat(a.call("get", "d.n", "")).isEqualTo("ok 1");
            assertThat(a.call("bwait", "d.b", "1 0")).isEqualTo("ok");
            assertPush(w, "watch incr d.n");
            assertPush(w, "watch decr d.n");
            assertPush(w, "watch kset d.kv");
            assertPush(w, "watch kdel d.kv");
            assertPush(w, "watch rpush d.list");
            assertPush(w, "watch lpop d.list");
            w.assertSilent(300); // reads and barriers change nothing watchable
        }
    }

    @Test
    void aConnectionGetsOneLinePerChangeAndUnwatchStopsThem() throws Exception {
        try (RawPeer w = watcher(">", "k"); RawPeer a = fx.connect()) {
            assertThat(w.call("watch", "k", "")).as("idempotent").isEqualTo("ok");
            String grant = token(a.call("l", "k", "0 30"));
            assertPush(w, "watch acquire k");
            w.assertSilent(300);
            assertThat(w.call("unwatch", ">", "")).isEqualTo("ok");
            assertThat(w.call("unwatch", "k", "")).isEqualTo("ok");
            assertThat(w.call("unwatch", "never", "")).as("not watching").isEqualTo("ok");
            assertThat(a.call("r", "k", grant)).isEqualTo("ok");
            w.assertSilent(300);
        }
    }

    @Test
    void watchesListensAndObservesShareTheSubscriptionCap() throws Exception {
        try (RawPeer c = fx.connect()) {
            assertThat(c.call("watch", "a", "")).isEqualTo("ok");
            assertThat(c.call("listen", "x", "")).isEqualTo("ok");
            assertThat(c.call("watch", "b", "")).isEqualTo("error");
            assertThat(c.call("observe", "c", "")).isEqualTo("error");
            assertThat(c.call("watch", "a", "")).as("already watched").isEqualTo("ok");
            assertThat(c.call("unwatch", "a", "")).isEqualTo("ok");
            assertThat(c.call("watch", "b", "")).isEqualTo("ok");
            assertThat(c.call("listen", "y", "")).isEqualTo("error");
        }
    }

    @Test
    void statsListTheWatchedPatternsUntilTheirConnectionsClose() throws Exception {
        RawPeer one = watcher("jobs.*", "k");
        RawPeer two = watcher("jobs.*");
        try (RawPeer s = fx.connect()) {
            String stats = s.call("stats", "_", "_");
            assertThat(stats).contains("\"watch_channels\":[").contains("{\"pattern\":\"jobs.*\",\"watchers\":2}")
                    .contains("{\"pattern\":\"k\",\"watchers\":1}");
        }
        one.close();
        two.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> fx.stats().get("watch_channels").isEmpty());
    }

    @Test
    void badPatternsAreRefused() throws Exception {
        try (RawPeer c = fx.connect()) {
            assertThat(c.call("watch", "a*", "")).isEqualTo("error");
            assertThat(c.call("watch", "a.>.b", "")).isEqualTo("error");
            assertThat(c.call("unwatch", "a>", "")).isEqualTo("error");
            assertThat(c.call("ping", "_", "_")).as("the connection stays open").isEqualTo("ok");
        }
        assertThat(fx.stats().get("watch_channels")).isEmpty();
    }
}
