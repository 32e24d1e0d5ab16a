package io.dflockd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Exact bytes on the wire and the handling of replies a correct server never sends, against a
 * scripted peer over real TCP.
 */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class WireTest {
    private static final String TOKEN = "00000000000000057f3c1f2b3e9a8d6e";

    @Test
    void requestsAreThreeLinesWithRoundedTimeoutsAndOptionalLease() throws Exception {
        try (ScriptedServer s = new ScriptedServer(r -> r[0].equals("n") || r[0].equals("sn") ? "ok 33\n"
                : r[0].equals("r") || r[0].equals("sr") ? "ok\n" : "ok " + TOKEN + " 33\n");
                DflockdConnection c = DflockdConnection.open(s.config())) {
            c.acquire("k", Duration.ofMillis(1500));
            c.acquire("k", Duration.ofSeconds(10), Duration.ofMillis(2001));
            c.semAcquire("k", Duration.ZERO, 3);
            c.semAcquire("k", Duration.ofSeconds(1), 3, Duration.ofSeconds(7));
            c.renew("k", TOKEN);
            c.renew("k", TOKEN, Duration.ofSeconds(9));
            c.semRenew("k", TOKEN, Duration.ofSeconds(9));
            c.release("k", TOKEN);
            c.semRelease("k", TOKEN);
            c.waitFor("k", Duration.ofMillis(1));
            c.semWaitFor("k", Duration.ZERO);
            List<String> got = new ArrayList<>();
            s.requests.drainTo(got);
            assertThat(got).containsExactly("l|k|2", "l|k|10 3", "sl|k|0 3", "sl|k|1 3 7", "n|k|" + TOKEN,
                    "n|k|" + TOKEN + " 9", "sn|k|" + TOKEN + " 9", "r|k|" + TOKEN, "sr|k|" + TOKEN, "w|k|1",
                    "sw|k|0");
        }
        try (ScriptedServer s = new ScriptedServer(r -> r[0].startsWith("s") && !r[0].equals("stats")
                ? "queued\n" : r[0].equals("stats") ? "ok {}\n" : r[0].equals("ping") ? "ok\n" : "queued\n");
                DflockdConnection c = DflockdConnection.open(s.config())) {
            c.enqueue("k");
            c.enqueue("k", Duration.ofSeconds(4));
            c.semEnqueue("k", 2);
            c.semEnqueue("k", 2, Duration.ofSeconds(4));
            c.stats();
            c.ping();
            List<String> got = new ArrayList<>();
            s.requests.drainTo(got);
            assertThat(got).containsExactly("e|k|", "e|k|4", "se|k|2", "se|k|2 4", "stats|_|_", "ping|_|_");
        }
    }

    @Test
    void readWriteLockCommandsAreTheLockCommandsWithTheirOwnNames() throws Exception {
        try (ScriptedServer s = new ScriptedServer(r -> switch (r[0]) {
            case "rn", "wn" -> "ok 33\n";
            case "rr", "wr" -> "ok\n";
            case "re", "we" -> "queued\n";
            default -> "ok " + TOKEN + " 33\n";
        }); DflockdConnection c = DflockdConnection.open(s.config())) {
            assertThat(c.readAcquire("k", Duration.ofMillis(1500))).isEqualTo(new Grant(TOKEN, 33));
            c.readAcquire("k", Duration.ZERO, Duration.ofMillis(2001));
            c.writeAcquire("k", Duration.ofSeconds(10));
            c.writeAcquire("k", Duration.ofSeconds(1), Duration.ofSeconds(7));
            assertThat(c.readRenew("k", TOKEN)).isEqualTo(33);
            c.readRenew("k", TOKEN, Duration.ofSeconds(9));
            c.writeRenew("k", TOKEN);
            c.writeRenew("k", TOKEN, Duration.ofSeconds(9));
            c.readRelease("k", TOKEN);
            c.writeRelease("k", TOKEN);
            assertThat(c.readEnqueue("k").status()).isEqualTo(EnqueueResult.QUEUED);
            c.readEnqueue("k", Duration.ofSeconds(4));
            c.writeEnqueue("k");
            c.writeEnqueue("k", Duration.ofSeconds(4));
            c.readWaitFor("k", Duration.ofMillis(1));
            c.writeWaitFor("k", Duration.ZERO);
            List<String> got = new ArrayList<>();
            s.requests.drainTo(got);
            assertThat(got).containsExactly("rl|k|2", "rl|k|0 3", "wl|k|10", "wl|k|1 7", "rn|k|" + TOKEN,
                    "rn|k|" + TOKEN + " 9", "wn|k|" + TOKEN, "wn|k|" + TOKEN + " 9", "rr|k|" + TOKEN,
                    "wr|k|" + TOKEN, "re|k|", "re|k|4", "we|k|", "we|k|4", "rw|k|1", "ww|k|0");
        }
    }

    @Test
    void aTypeMismatchIsItsOwnExceptionAndKeepsTheConnection() throws Exception {
        try (ScriptedServer s = new ScriptedServer(r -> r[0].equals("ping") ? "ok\n" : "error_type_mismatch\n");
                DflockdConnection c = DflockdConnection.open(s.config())) {
            assertThatThrownBy(() -> c.writeAcquire("k", Duration.ZERO)).isInstanceOf(TypeMismatchException.class)
                    .hasMessageContaining("wl k");
            assertThatThrownBy(() -> c.readEnqueue("k")).isInstanceOf(TypeMismatchException.class)
                    .hasMessageContaining("re k");
            assertThatThrownBy(() -> c.acquire("k", Duration.ZERO)).isInstanceOf(TypeMismatchException.class);
            assertThat(c.isOpen()).isTrue();
            c.ping();
        }
    }

    @Test
    void aRedisFeatsServerWithItsFenceFieldIsUnderstood() throws Exception {
        // upstream's redis-feats branch: "ok <token> <lease> <fence>" and "ok <remaining> <fence>"
        try (ScriptedServer s = new ScriptedServer(r -> switch (r[0]) {
                    case "l", "w" -> "ok " + TOKEN + " 2 41\n";
                    case "e" -> "acquired " + TOKEN + " 2 41\n";
                    case "n" -> "ok 2 41\n";
                    default -> "ok\n";
                });
                DistributedLock lock = DistributedLock.builder("k").config(s.config())
                        .leaseTtl(Duration.ofSeconds(2)).build()) {
            assertThat(lock.acquire()).isTrue();
            assertThat(lock.token()).isEqualTo(TOKEN);
            // renewals every second are answered with the 3-field shape and keep the lock held
            await().atMost(Duration.ofSeconds(10)).until(() -> s.requests.stream().filter(r -> r.startsWith("n|")).count() >= 2);
            assertThat(lock.isHeld()).isTrue();
            lock.release();
            assertThat(lock.enqueue()).isEqualTo(EnqueueResult.ACQUIRED);
        }
    }

    @Test
    void malformedReplyClosesTheConnection() throws Exception {
        try (ScriptedServer s = new ScriptedServer(r -> "ok " + TOKEN + " 33s\n");
                DflockdConnection c = DflockdConnection.open(s.config())) {
            assertThatThrownBy(() -> c.acquire("k", Duration.ZERO)).isInstanceOf(ProtocolViolationException.class)
                    .hasMessageContaining(s.hostPort()).hasMessageContaining("malformed reply");
            assertThat(c.isOpen()).isFalse();
        }
        try (ScriptedServer s = new ScriptedServer(r -> "ok {not json\n");
                DflockdConnection c = DflockdConnection.open(s.config())) {
            assertThatThrownBy(c::stats).isInstanceOf(ProtocolViolationException.class)
                    .hasMessageContaining("malformed stats reply");
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Test
    void statusesNoRealServerSendsOnDemand() throws Exception {
        String[] replies = {"error_lease_expired\n", "error_draining\n", "error_not_leader 1.2.3.4:6388\n"};
        List<Class<?>> types = List.of(LeaseExpiredException.class, DrainingException.class, ServerErrorException.class);
        for (int i = 0; i < replies.length; i++) {
            String reply = replies[i];
            try (ScriptedServer s = new ScriptedServer(r -> reply);
                    DflockdConnection c = DflockdConnection.open(s.config())) {
                assertThatThrownBy(() -> c.waitFor("k", Duration.ZERO)).isInstanceOf(types.get(i));
                assertThat(c.isOpen()).isTrue();
            }
        }
        // the high-level lock: not held, connection closed
        try (ScriptedServer s = new ScriptedServer(r -> "error_draining\n");
                DistributedLock lock = DistributedLock.builder("k").config(s.config()).build()) {
            assertThatThrownBy(lock::acquire).isInstanceOf(DrainingException.class);
            assertThat(lock.isHeld()).isFalse();
        }
    }

    @Test
    void eofDuringACallMeansNotHeld() throws Exception {
        try (ScriptedServer s = new ScriptedServer(r -> null);
                DistributedLock lock = DistributedLock.builder("k").config(s.config()).build()) {
            assertThatThrownBy(lock::acquire).isInstanceOf(DflockdIOException.class)
                    .hasMessageStartingWith(s.hostPort() + ": connection closed by server")
                    .hasMessageContaining("l k");
            assertThat(lock.isHeld()).isFalse();
        }
    }

    @Test
    void oversizedReplyLineIsRejected() throws Exception {
        String huge = "ok " + "x".repeat(Transport.MAX_REPLY_BYTES) + "\n";
        try (ScriptedServer s = new ScriptedServer(r -> huge);
                DflockdConnection c = DflockdConnection.open(s.config())) {
            assertThatThrownBy(c::ping).isInstanceOf(ProtocolViolationException.class)
                    .hasMessageContaining("longer than 1048576");
            assertThat(c.isOpen()).isFalse();
        }
        // the stats of a big server are longer than any other reply: 3 MB is fine
        String big = "ok {\"connections\":1,\"pad\":\"" + "p".repeat(3_000_000) + "\"}\n";
        try (ScriptedServer s = new ScriptedServer(r -> big);
                DflockdConnection c = DflockdConnection.open(s.config())) {
            assertThat(c.stats().connections()).isEqualTo(1);
            assertThatThrownBy(c::ping).isInstanceOf(ProtocolViolationException.class); // back to the 1 MiB cap
        }
    }

    @Test
    void awaitAfterFastPathEnqueueSendsNothing() throws Exception {
        try (ScriptedServer s = new ScriptedServer(r -> r[0].equals("e") ? "acquired " + TOKEN + " 33\n" : "ok\n");
                DistributedLock lock = DistributedLock.builder("k").config(s.config()).build()) {
            assertThat(lock.enqueue()).isEqualTo(EnqueueResult.ACQUIRED);
            assertThat(lock.await(Duration.ofSeconds(5))).isTrue();
            assertThat(lock.fence()).hasValue(5);
            lock.release();
            List<String> got = new ArrayList<>();
            s.requests.drainTo(got);
            assertThat(got).containsExactly("e|k|", "r|k|" + TOKEN);
        }
    }

    @Test
    void authIsSentFirstAndRejectionIsTyped() throws Exception {
        try (ScriptedServer s = new ScriptedServer(r -> r[0].equals("auth") && r[2].equals("good") ? "ok\n"
                : r[0].equals("auth") ? "error_auth\n" : "ok\n")) {
            try (DflockdConnection c = DflockdConnection.open(s.config().toBuilder().authToken("good").build())) {
                c.ping();
            }
            assertThat(s.requests.poll(5, TimeUnit.SECONDS)).isEqualTo("auth|_|good");
            assertThat(s.requests.poll(5, TimeUnit.SECONDS)).isEqualTo("ping|_|_");
            assertThatThrownBy(() -> DflockdConnection.open(s.config().toBuilder().authToken("bad").build()))
                    .isInstanceOf(AuthException.class).hasMessageContaining("error_auth");
        }
    }

    @Test
    void connectTimeoutBoundsTheHandshake() throws Exception {
        // a peer that accepts but never answers auth
        try (ScriptedServer s = new ScriptedServer(r -> {
            try {
                Thread.sleep(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        })) {
            long start = System.nanoTime();
            ClientConfig cfg = s.config().toBuilder().authToken("t").connectTimeout(Duration.ofMillis(500)).build();
            assertThatThrownBy(() -> DflockdConnection.open(cfg)).isInstanceOf(DflockdIOException.class)
                    .hasMessageStartingWith(s.hostPort() + ": ");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void signalConnectionDemultiplexesPushesAndReplies() throws Exception {
        // the push arrives before the reply of the command that caused it, and one arrives unprompted
        try (ScriptedServer s = new ScriptedServer(r -> {
            switch (r[0]) {
                case "listen": return "ok\n";
                case "signal": return "sig " + r[1] + " " + r[2] + "\nok 1\nsig extra has  spaces \n";
                default: return "ok\n";
            }
        }); SignalConn sc = SignalConn.builder().server(s.hostPort()).heartbeatInterval(Duration.ZERO).connect()) {
            sc.listen("a.>");
            assertThat(sc.emit("a.b", "p q")).isEqualTo(1);
            assertThat(sc.signals().poll(5, TimeUnit.SECONDS)).isEqualTo(new Signal("a.b", "p q"));
            assertThat(sc.signals().poll(5, TimeUnit.SECONDS)).isEqualTo(new Signal("extra", "has  spaces "));
            sc.ping();
        }
    }

    @Test
    void heartbeatPingsAreSent() throws Exception {
        try (ScriptedServer s = new ScriptedServer(r -> "ok\n");
                SignalConn sc = SignalConn.builder().server(s.hostPort()).heartbeatInterval(Duration.ofMillis(100))
                        .connect()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> s.requests.size() >= 3);
            assertThat(s.requests).allMatch(r -> r.equals("ping|_|_"));
            assertThat(sc.isConnected()).isTrue();
        }
    }
}
