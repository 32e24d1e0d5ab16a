package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static io.dflockd.client.TestServers.stats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.dflockd.protocol.Stats;
import io.dflockd.server.DflockdServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link SignalConn} against a real server. */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class SignalConnTest {
    static DflockdServer server;
    static String address;

    @BeforeAll
    static void start() {
        server = TestServers.start();
        address = "127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static SignalConn connect() {
        return SignalConn.builder().server(address).connect();
    }

    @Test
    void listenEmitAndIterate() throws Exception {
        String ns = key("ev");
        try (SignalConn listener = connect(); SignalConn publisher = connect()) {
            assertThat(listener.isConnected()).isTrue();
            listener.listen(ns + ".user.*");
            assertThat(publisher.emit(ns + ".user.login", "alice logged in")).isEqualTo(1);
            assertThat(publisher.emit(ns + ".order.created", "x")).isZero();
            assertThat(publisher.emit(ns + ".user.logout", "bob")).isEqualTo(1);

            var it = listener.iterator();
            assertThat(it.hasNext()).isTrue();
            assertThat(it.next()).isEqualTo(new Signal(ns + ".user.login", "alice logged in"));
            assertThat(it.next()).isEqualTo(new Signal(ns + ".user.logout", "bob"));

            listener.unlisten(ns + ".user.*");
            assertThat(publisher.emit(ns + ".user.login", "again")).isZero();
            assertThat(listener.droppedSignals()).isZero();
        }
    }

    @Test
    void ownSubscriptionsReceiveOwnSignals() throws Exception {
        String ns = key("self");
        try (SignalConn sc = connect()) {
            sc.listen(ns + ".>");
            for (int i = 0; i < 20; i++) {
                assertThat(sc.emit(ns + ".n", "m" + i)).isEqualTo(1);
            }
            for (int i = 0; i < 20; i++) {
                assertThat(sc.signals().poll(5, TimeUnit.SECONDS)).isEqualTo(new Signal(ns + ".n", "m" + i));
            }
        }
    }

    @Test
    void queueGroupsRoundRobin() throws Exception {
        String ns = key("jobs");
        try (SignalConn a = connect(); SignalConn b = connect(); SignalConn watcher = connect();
                SignalConn publisher = connect()) {
            a.listen(ns + ".>", "workers");
            b.listen(ns + ".>", "workers");
            watcher.listen(ns + ".>");
            assertThat(stats(server).signalChannels()).contains(
                    new Stats.SignalChannelStat(ns + ".>", "workers", 2),
                    new Stats.SignalChannelStat(ns + ".>", null, 1));
            for (int i = 0; i < 6; i++) {
                // the group counts once, the ungrouped watcher once
                assertThat(publisher.emit(ns + ".build", "job " + i)).isEqualTo(2);
            }
            List<String> gotA = drain(a, 3);
            List<String> gotB = drain(b, 3);
            assertThat(gotA).hasSize(3);
            assertThat(gotB).hasSize(3);
            List<String> all = new ArrayList<>(gotA);
            all.addAll(gotB);
            assertThat(all).containsExactlyInAnyOrder("job 0", "job 1", "job 2", "job 3", "job 4", "job 5");
            // strict alternation: one member got the even jobs, the other the odd ones
            assertThat(List.of(gotA, gotB)).containsExactlyInAnyOrder(List.of("job 0", "job 2", "job 4"),
                    List.of("job 1", "job 3", "job 5"));
            assertThat(drain(watcher, 6)).hasSize(6);

            b.unlisten(ns + ".>", "workers");
            assertThat(publisher.emit(ns + ".build", "solo")).isEqualTo(2);
            assertThat(a.signals().poll(5, TimeUnit.SECONDS).payload()).isEqualTo("solo");
        }
    }

    private static List<String> drain(SignalConn sc, int n) throws InterruptedException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Signal s = sc.signals().poll(5, TimeUnit.SECONDS);
            assertThat(s).as("signal %d of %d", i + 1, n).isNotNull();
            out.add(s.payload());
        }
        return out;
    }

    @Test
    void iterationEndsCleanlyOnClose() throws Exception {
        String ns = key("end");
        SignalConn sc = connect();
        sc.listen(ns);
        List<Signal> got = new CopyOnWriteArrayList<>();
        CompletableFuture<List<Signal>> consumed = CompletableFuture.supplyAsync(() -> {
            for (Signal s : sc) {
                got.add(s);
            }
            return got;
        });
        try (SignalConn pub = connect()) {
            assertThat(pub.emit(ns, "one")).isEqualTo(1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> stats(server).signalChannels().stream()
                .anyMatch(c -> c.pattern().equals(ns)));
        // The emit's count only says the server pushed the signal; it reaches sc's queue (and the
        // iterating thread) a moment later. Closing before that would end the stream without it.
        await().atMost(Duration.ofSeconds(10)).until(() -> !got.isEmpty());
        sc.close();
        assertThat(consumed.get(10, TimeUnit.SECONDS)).containsExactly(new Signal(ns, "one"));
        assertThat(sc.signals().peek()).isSameAs(Signal.END);
        assertThat(sc.iterator().hasNext()).isFalse(); // a second iterator ends too
        assertThat(sc.isConnected()).isFalse();
        assertThatThrownBy(() -> sc.listen(ns)).isInstanceOf(DflockdIOException.class).hasMessageContaining("closed");
        sc.close(); // idempotent
        await().atMost(Duration.ofSeconds(5)).until(() -> stats(server).signalChannels().stream()
                .noneMatch(c -> c.pattern().equals(ns)));
    }

    @Test
    void fullQueueDropsAndCounts() throws Exception {
        String ns = key("drop");
        try (SignalConn slow = SignalConn.builder().server(address).queueCapacity(2).connect(); SignalConn pub = connect()) {
            slow.listen(ns);
            for (int i = 0; i < 5; i++) {
                assertThat(pub.emit(ns, "m" + i)).isEqualTo(1);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> slow.droppedSignals() == 3);
            assertThat(slow.signals()).containsExactly(new Signal(ns, "m0"), new Signal(ns, "m1"));
            assertThat(slow.isConnected()).isTrue(); // the reader never stalled, the server kept us
            slow.signals().clear();
            assertThat(pub.emit(ns, "after")).isEqualTo(1);
            assertThat(slow.signals().poll(5, TimeUnit.SECONDS).payload()).isEqualTo("after");
        }
    }

    @Test
    void invalidArgumentsNeverReachTheServer() {
        try (SignalConn sc = connect()) {
            assertThatThrownBy(() -> sc.listen("a.>.b")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sc.listen("a", "two words")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sc.emit("a.*", "x")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sc.emit("a", "   ")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> sc.emit("a", "x\ny")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(sc::connect).isInstanceOf(IllegalStateException.class);
            sc.ping();
            assertThat(sc.toString()).contains(address);
        }
    }

    @Test
    void subscriptionCapIsAServerError() {
        try (DflockdServer capped = TestServers.start(b -> b.maxSubscriptions(1));
                SignalConn sc = SignalConn.builder().server("127.0.0.1:" + capped.port()).connect()) {
            sc.listen("a");
            assertThatThrownBy(() -> sc.listen("b")).isInstanceOf(ServerErrorException.class);
            sc.listen("a"); // same subscription again is a no-op
        }
    }

    @Test
    void heartbeatKeepsAnIdleListenerAlivePastTheReadTimeout() throws Exception {
        try (DflockdServer strict = TestServers.start(b -> b.readTimeoutSeconds(2))) {
            String addr = "127.0.0.1:" + strict.port();
            try (SignalConn alive = SignalConn.builder().server(addr).heartbeatInterval(Duration.ofMillis(500)).connect();
                    SignalConn silent = SignalConn.builder().server(addr).heartbeatInterval(Duration.ZERO).connect()) {
                alive.listen("news");
                silent.listen("news");
                // the silent one is dropped by the server's 2 s read timeout: its stream ends
                assertThat(silent.signals().poll(10, TimeUnit.SECONDS)).isSameAs(Signal.END);
                assertThat(silent.isConnected()).isFalse();
                // the heartbeat one is still there, well past the timeout (at every look for 3 s;
                // atMost only bounds how late the looks may be)
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(20))
                        .failFast("the heartbeat connection was dropped", () -> !alive.isConnected())
                        .until(alive::isConnected);
                try (DflockdConnection pub = DflockdConnection.open(TestServers.config(strict))) {
                    assertThat(pub.emitSignal("news", "still here")).isEqualTo(1);
                }
                assertThat(alive.signals().poll(5, TimeUnit.SECONDS)).isEqualTo(new Signal("news", "still here"));
            }
        }
    }
}
