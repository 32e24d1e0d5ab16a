package io.dflockd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValidationTest {

    @Test
    void timeoutsRoundSubSecondPartsUp() {
        assertThat(Durations.timeoutSeconds(Duration.ZERO, "t")).isZero();
        assertThat(Durations.timeoutSeconds(Duration.ofMillis(1), "t")).isEqualTo(1);
        assertThat(Durations.timeoutSeconds(Duration.ofMillis(1500), "t")).isEqualTo(2);
        assertThat(Durations.timeoutSeconds(Duration.ofSeconds(10), "t")).isEqualTo(10);
        assertThat(Durations.timeoutSeconds(Duration.ofSeconds(9_223_372_036L), "t")).isEqualTo(9_223_372_036L);
        assertThatThrownBy(() -> Durations.timeoutSeconds(Duration.ofSeconds(9_223_372_037L), "timeout"))
                .hasMessageContaining("at most 9223372036");
        assertThatThrownBy(() -> Durations.timeoutSeconds(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), "t"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Durations.timeoutSeconds(Duration.ofMillis(-1), "timeout"))
                .hasMessageContaining("timeout must not be negative");
    }

    @Test
    void leasesArePositiveWholeSecondsOrOmitted() {
        assertThat(Durations.leaseSeconds(null)).isZero();
        assertThat(Durations.leaseSeconds(Duration.ofMillis(100))).isEqualTo(1);
        assertThat(Durations.leaseSeconds(Duration.ofSeconds(2))).isEqualTo(2);
        assertThatThrownBy(() -> Durations.leaseSeconds(Duration.ZERO)).hasMessageContaining("positive");
        assertThatThrownBy(() -> Durations.leaseSeconds(Duration.ofSeconds(-3))).hasMessageContaining("positive");
    }

    @Test
    void replyTimeoutCoversTheServerSideWait() {
        assertThat(Durations.replyTimeoutMs(0)).isEqualTo(30_000);
        assertThat(Durations.replyTimeoutMs(10)).isEqualTo(40_000);
        assertThat(Durations.replyTimeoutMs(9_223_372_036L)).isZero();
    }

    @Test
    void renewalPeriodIsLeaseTimesRatioCappedAndFloored() {
        assertThat(RenewalSchedule.periodMs(2, 0.5)).isEqualTo(1_000);
        assertThat(RenewalSchedule.periodMs(33, 0.5)).isEqualTo(15_000); // 16.5 s capped below the read timeout
        assertThat(RenewalSchedule.periodMs(20, 0.5)).isEqualTo(10_000);
        assertThat(RenewalSchedule.periodMs(0, 0.5)).isEqualTo(15_000); // 30 s fallback, then the cap
        assertThat(RenewalSchedule.periodMs(1, 0.01)).isEqualTo(100);
        // jitter: up to 10 % early, never late; off: exactly the period
        ClientConfig jittered = ClientConfig.defaults();
        for (int i = 0; i < 1000; i++) {
            assertThat(RenewalSchedule.delayMs(20, jittered)).isBetween(9_000L, 10_000L);
        }
        assertThat(java.util.stream.IntStream.range(0, 200).mapToLong(i -> RenewalSchedule.delayMs(20, jittered))
                .distinct().count()).isGreaterThan(50);
        assertThat(RenewalSchedule.delayMs(20, ClientConfig.builder().renewJitter(false).build())).isEqualTo(10_000);
    }

    @Test
    void keysFollowTheClientRules() {
        assertThatCode(() -> DistributedLock.builder("a:b/c-ключ")).doesNotThrowAnyException();
        assertThatCode(() -> DistributedLock.builder("a\0b")).doesNotThrowAnyException(); // as the server
        for (String bad : new String[] {"", "a b", "a\tb", "a\rb", "a\nb", "x".repeat(257)}) {
            assertThatThrownBy(() -> DistributedLock.builder(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> DistributedLock.builder(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DistributedLock.builder("ü".repeat(129))).hasMessageContaining("258 UTF-8 bytes");
    }

    @Test
    void lockBuilderValidatesEagerly() {
        DistributedLock.Builder b = DistributedLock.builder("k");
        assertThatThrownBy(() -> b.acquireTimeout(Duration.ofSeconds(-1))).hasMessageContaining("acquire timeout");
        assertThatThrownBy(() -> b.acquireTimeout(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> b.leaseTtl(Duration.ZERO)).hasMessageContaining("lease TTL must be positive");
        assertThatThrownBy(() -> b.config(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> DistributedSemaphore.builder("k", 0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> DistributedSemaphore.builder("k", -2)).hasMessageContaining("at least 1");
        DistributedSemaphore s = DistributedSemaphore.builder("k", 3).build();
        assertThat(s.limit()).isEqualTo(3);
        assertThat(s.isHeld()).isFalse();
        assertThat(s.token()).isNull();
        assertThat(s.lease()).isEqualTo(Duration.ZERO);
        assertThat(s.fence()).isEmpty();
        s.close();
    }

    @Test
    void awaitWithoutEnqueueIsAStateError() {
        try (DistributedLock lock = DistributedLock.builder("k").build()) {
            assertThatThrownBy(lock::await).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("enqueue()");
        }
    }

    @Test
    void closedLockCannotBeReused() {
        DistributedLock lock = DistributedLock.builder("k").build();
        lock.close();
        lock.close(); // idempotent
        assertThatThrownBy(lock::acquire).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(lock::enqueue).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void signalArguments() {
        assertThatCode(() -> Validate.pattern("a.*.>")).doesNotThrowAnyException();
        assertThatCode(() -> Validate.pattern(">")).doesNotThrowAnyException();
        assertThatThrownBy(() -> Validate.pattern("a.>.b")).hasMessageContaining("invalid pattern");
        assertThatThrownBy(() -> Validate.pattern("fo*")).hasMessageContaining("invalid pattern");
        assertThatThrownBy(() -> Validate.pattern("a b")).hasMessageContaining("pattern must not contain");
        assertThatThrownBy(() -> Validate.channel("a.*")).hasMessageContaining("must not contain '*' or '>'");
        assertThatThrownBy(() -> Validate.channel("a.>")).hasMessageContaining("must not contain '*' or '>'");
        assertThatThrownBy(() -> Validate.channel("")).hasMessageContaining("channel must not be empty");

        assertThat(Validate.group(null)).isEmpty();
        assertThat(Validate.group("")).isEmpty();
        assertThat(Validate.group("workers")).isEqualTo("workers");
        assertThatThrownBy(() -> Validate.group("a b")).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> Validate.group("a\u00a0b")).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> Validate.group("g".repeat(257))).hasMessageContaining("257 UTF-8 bytes");

        assertThatCode(() -> Validate.payload("c", "repo=x ref=main\t!")).doesNotThrowAnyException();
        assertThatThrownBy(() -> Validate.payload("c", "")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> Validate.payload("c", null)).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> Validate.payload("c", " \t ")).hasMessageContaining("non-whitespace");
        assertThatThrownBy(() -> Validate.payload("c", "a\nb")).hasMessageContaining("CR or LF");
        assertThatThrownBy(() -> Validate.payload("c", "a\rb")).hasMessageContaining("CR or LF");
        assertThatCode(() -> Validate.payload("c", "a\0b")).doesNotThrowAnyException(); // as the server
        String channel = "events.user.login"; // 17 bytes → 65 514 allowed (PROTOCOL.md §9.4)
        assertThatCode(() -> Validate.payload(channel, "p".repeat(65_514))).doesNotThrowAnyException();
        assertThatThrownBy(() -> Validate.payload(channel, "p".repeat(65_515))).hasMessageContaining("limit is 65514");
    }

    @Test
    void signalBuilderValidates() {
        assertThatThrownBy(() -> SignalConn.builder().heartbeatInterval(Duration.ofSeconds(-1)))
                .hasMessageContaining("heartbeat");
        assertThatThrownBy(() -> SignalConn.builder().queueCapacity(0)).hasMessageContaining("queue capacity");
        assertThatThrownBy(() -> SignalConn.builder().server("x:0")).hasMessageContaining("port");
        SignalConn sc = SignalConn.builder().heartbeatInterval(Duration.ZERO).build();
        assertThat(sc.isConnected()).isFalse();
        assertThatThrownBy(() -> sc.listen("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sc.listen("a")).isInstanceOf(DflockdIOException.class)
                .hasMessageContaining("not connected");
        sc.close();
        assertThat(sc.signals().peek()).isSameAs(Signal.END);
        assertThat(sc.iterator().hasNext()).isFalse();
    }

    @Test
    void fenceDecoding() {
        Grant g = new Grant("00000000000000017f3c1f2b3e9a8d6e", 33);
        assertThat(g.fence()).hasValue(1);
        assertThat(g.lease()).isEqualTo(Duration.ofSeconds(33));
        assertThat(new Grant("ffffffffffffffff7f3c1f2b3e9a8d6e", 1).fence().getAsLong()).isEqualTo(-1L);
        assertThat(new Grant("not-a-token", 1).fence()).isEmpty();
    }
}
