package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static io.dflockd.client.TestServers.lockHeld;
import static io.dflockd.client.TestServers.stats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code releaseAfter}: a lock handed over to time outlives its holder's connection, then expires. */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class ReleaseAfterTest {
    private static final String TOKEN = "00000000000000097f3c1f2b3e9a8d6e";

    @RegisterExtension
    static final ServerPerClass shared = new ServerPerClass();

    @Test
    void aLockHandedOverToTimeOutlivesItsConnectionAndThenExpires() throws Exception {
        String k = key("after");
        try (DistributedLock holder = DistributedLock.builder(k).config(shared.config()).build();
                DistributedLock next = DistributedLock.builder(k).config(shared.config()).build()) {
            assertThat(holder.acquire()).isTrue();
            holder.releaseAfter(Duration.ofSeconds(2));
            assertThat(holder.isHeld()).isFalse();
            holder.close(); // its connection is gone: the server keeps the lock anyway
            assertThat(lockHeld(shared.server(), k)).isTrue();
            assertThat(stats(shared.server()).lock(k).orElseThrow().leaseExpiresInS()).isLessThanOrEqualTo(2.0);
            assertThat(next.acquire(Duration.ZERO)).isFalse();
            CompletableFuture<Boolean> waited = CompletableFuture.supplyAsync(() -> next.acquire(Duration.ofSeconds(20)));
            assertThat(waited.get(15, TimeUnit.SECONDS)).isTrue(); // granted when the kept lease ends
        }
    }

    @Test
    void aServerWithoutTheExtensionRefusesAndTheLockStaysHeld() throws Exception {
        // upstream servers answer an unknown command with a bare "error"
        try (ScriptedServer s = new ScriptedServer(r -> r[0].equals("l") ? "ok " + TOKEN + " 33\n"
                        : r[0].equals("k") ? "error\n" : "ok\n");
                DistributedLock lock = DistributedLock.builder("up").config(s.config()).build()) {
            assertThat(lock.acquire()).isTrue();
            assertThatThrownBy(() -> lock.releaseAfter(Duration.ofSeconds(5))).isInstanceOf(ServerErrorException.class)
                    .hasMessageContaining("lacks this dflockd-for-Java extension");
            assertThat(lock.isHeld()).isTrue();
            assertThatThrownBy(() -> DistributedLock.builder("x").config(s.config()).build()
                    .releaseAfter(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
        }
    }
}
