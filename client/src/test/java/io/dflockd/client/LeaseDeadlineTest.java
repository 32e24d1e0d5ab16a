package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lease deadline a holder can trust: counted from the send of the last successful acquire or
 * renewal, enforced when renewals stop answering, and announced by a per-grant future.
 */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class LeaseDeadlineTest {
    private static final String TOKEN = "00000000000000077f3c1f2b3e9a8d6e";

    @RegisterExtension
    static final ServerPerClass shared = new ServerPerClass();

    @Test
    void theDeadlineCountsFromTheSendAndMovesWithEachRenewal() {
        String k = key("deadline");
        try (DistributedLock lock = DistributedLock.builder(k).config(shared.config())
                .leaseTtl(Duration.ofSeconds(2)).build()) {
            assertThat(lock.leaseValidUntil()).isEmpty();
            Instant before = Instant.now();
            assertThat(lock.acquire()).isTrue();
            Instant after = Instant.now();
            Instant first = lock.leaseValidUntil().orElseThrow();
            // within a few ms of the clock reads around the call (nanoTime and the wall clock differ a little)
            assertThat(first).isBetween(before.plusSeconds(2).minusMillis(50), after.plusSeconds(2).plusMillis(50));
            // renewals every ~1 s push it forward
            await().atMost(Duration.ofSeconds(10)).until(() -> lock.leaseValidUntil().orElseThrow().isAfter(first.plusMillis(500)));
            assertThat(lock.isHeld()).isTrue();
        }
    }

    @Test
    void anExplicitRenewalMovesTheDeadlineAtOnceAndAFailedOneLosesTheLease() throws Exception {
        String k = key("renew");
        try (DistributedLock lock = DistributedLock.builder(k).config(shared.config())
                .leaseTtl(Duration.ofSeconds(10)).build()) {
            assertThatThrownBy(lock::renew).isInstanceOf(IllegalStateException.class).hasMessageContaining("not held");
            assertThat(lock.acquire()).isTrue();
            Instant first = lock.leaseValidUntil().orElseThrow();
            Thread.sleep(300);
            assertThat(lock.renew()).isEqualTo(Duration.ofSeconds(10));
            assertThat(lock.leaseValidUntil().orElseThrow()).isAfter(first.plusMillis(250));
            assertThat(lock.renew(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(60)); // this once
            assertThat(lock.leaseValidUntil().orElseThrow()).isAfter(Instant.now().plusSeconds(55));

            CompletableFuture<Throwable> lost = lock.leaseLost();
            try (DflockdConnection c = DflockdConnection.open(shared.config())) {
                c.release(k, lock.token()); // behind its back: the explicit renewal is refused
            }
            assertThatThrownBy(lock::renew).isInstanceOf(ServerErrorException.class);
            assertThat(lost.getNow(null)).isInstanceOf(ServerErrorException.class);
            assertThat(lock.isHeld()).isFalse();
        }
    }

    @Test
    void aRenewalThatNeverAnswersLosesTheLeaseAtItsDeadline() throws Exception {
        // the server grants a 2 s lease, then swallows the renewal: no reply, no close
        try (ScriptedServer s = new ScriptedServer(r -> {
                    if (r[0].equals("n")) {
                        sleepQuietly(60_000);
                    }
                    return "ok " + TOKEN + " 2\n";
                });
                DistributedLock lock = DistributedLock.builder("hung").config(s.config()).build()) {
            assertThat(lock.acquire()).isTrue();
            CompletableFuture<Throwable> lost = lock.leaseLost();
            assertThat(lost).isNotDone();
            Instant deadline = lock.leaseValidUntil().orElseThrow();
            Throwable cause = lost.get(10, TimeUnit.SECONDS); // at the 2 s deadline, not after the 30 s reply timeout
            assertThat(Instant.now()).isAfterOrEqualTo(deadline.minusMillis(50));
            assertThat(cause).isInstanceOf(LeaseExpiredException.class).hasMessageContaining("lease deadline");
            assertThat(lock.isHeld()).isFalse();
            assertThat(lock.token()).isNull();
        }
    }

    @Test
    void theLossFutureIsCompletedOnLossAndCancelledOnRelease() throws Exception {
        String k = key("future");
        CompletableFuture<String> listenerSaw = new CompletableFuture<>();
        try (DistributedLock lock = DistributedLock.builder(k).config(shared.config())
                .leaseTtl(Duration.ofSeconds(2)).onLeaseLost((key, token, cause) -> listenerSaw.complete(token))
                .build()) {
            assertThat(lock.leaseLost()).isCancelled(); // nothing held
            assertThat(lock.acquire()).isTrue();
            CompletableFuture<Throwable> first = lock.leaseLost();
            lock.release();
            assertThat(first).isCancelled();

            assertThat(lock.acquire()).isTrue();
            CompletableFuture<Throwable> second = lock.leaseLost();
            String token = lock.token();
            try (DflockdConnection c = DflockdConnection.open(shared.config())) {
                c.release(k, token); // behind its back: the next renewal is refused
            }
            assertThat(second.get(10, TimeUnit.SECONDS)).isInstanceOf(ServerErrorException.class);
            assertThat(listenerSaw.get(5, TimeUnit.SECONDS)).isEqualTo(token);
        }
    }

    @Test
    void aGrantAfterALongWaitIsRenewedBeforeTheCallerSeesIt() throws Exception {
        // the grant comes 1.5 s after the request, with a 2 s lease: counted from the send, only
        // 0.5 s would be proven, so the client renews at once
        try (ScriptedServer s = new ScriptedServer(r -> {
                    if (r[0].equals("l")) {
                        sleepQuietly(1500);
                        return "ok " + TOKEN + " 2\n";
                    }
                    return "ok 2\n";
                });
                DistributedLock lock = DistributedLock.builder("slow").config(s.config())
                        .leaseTtl(Duration.ofSeconds(2)).build()) {
            assertThat(lock.acquire()).isTrue();
            assertThat(s.requests).anyMatch(r -> r.startsWith("n|slow|"));
            assertThat(lock.leaseValidUntil().orElseThrow()).isAfter(Instant.now().plusMillis(1000));
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
