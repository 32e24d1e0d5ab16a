package io.dflockd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.protocol.Status;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepliesTest {
    private static final InetSocketAddress S = InetSocketAddress.createUnresolved("127.0.0.1", 6388);
    private static final String TOKEN = "18ae32796f7080017f3c1f2b3e9a8d6e";

    @Test
    void parsesGrants() {
        Grant g = Replies.grant("ok " + TOKEN + " 33", Status.OK, S, "l k");
        assertThat(g.token()).isEqualTo(TOKEN);
        assertThat(g.leaseSeconds()).isEqualTo(33);
        EnqueueResponse a = Replies.enqueue("acquired " + TOKEN + " 5", S, "e k");
        assertThat(a.status()).isEqualTo(EnqueueResult.ACQUIRED);
        assertThat(a.acquired()).isTrue();
        assertThat(a.grant().leaseSeconds()).isEqualTo(5);
        EnqueueResponse q = Replies.enqueue("queued", S, "e k");
        assertThat(q.status()).isEqualTo(EnqueueResult.QUEUED);
        assertThat(q.grant()).isNull();
        assertThat(Replies.okNumber("ok 7", S, "n k")).isEqualTo(7);
    }

    @Test
    void toleratesTheRedisFeatsFenceField() {
        // upstream's redis-feats branch appends the fence to grants and renewals (issue 13)
        assertThat(Replies.grant("ok " + TOKEN + " 33 9", Status.OK, S, "l k")).isEqualTo(new Grant(TOKEN, 33));
        assertThat(Replies.enqueue("acquired " + TOKEN + " 33 9", S, "e k").grant()).isEqualTo(new Grant(TOKEN, 33));
        assertThat(Replies.okNumber("ok 30 9", S, "n k")).isEqualTo(30);
    }

    @Test
    void rejectsMalformedSuccessReplies() {
        for (String bad : new String[] {"ok " + TOKEN + " 33 9 1", "ok " + TOKEN, "ok", "ok  33", "ok " + TOKEN + " x",
                "ok " + TOKEN + " -1"}) {
            assertThatThrownBy(() -> Replies.grant(bad, Status.OK, S, "l k"))
                    .isInstanceOf(ProtocolViolationException.class).hasMessageStartingWith("127.0.0.1:6388: malformed reply");
        }
        assertThatThrownBy(() -> Replies.okNumber("ok 33 x", S, "n k")).isInstanceOf(ProtocolViolationException.class);
        assertThatThrownBy(() -> Replies.okNumber("ok", S, "n k")).isInstanceOf(ProtocolViolationException.class);
        assertThatThrownBy(() -> Replies.ok("ok 1", S, "listen")).isInstanceOf(ProtocolViolationException.class);
        assertThatThrownBy(() -> Replies.enqueue("acquired", S, "e k")).isInstanceOf(ProtocolViolationException.class);
    }

    @Test
    void mapsEveryStatusToItsException() {
        Map<String, Class<? extends DflockdException>> table = Map.ofEntries(
                Map.entry("timeout", AcquireTimeoutException.class),
                Map.entry("error_auth", AuthException.class),
                Map.entry("error_max_locks", MaxLocksException.class),
                Map.entry("error_max_waiters", MaxWaitersException.class),
                Map.entry("error_limit_mismatch", LimitMismatchException.class),
                Map.entry("error_type_mismatch", TypeMismatchException.class),
                Map.entry("error_not_enqueued", NotEnqueuedException.class),
                Map.entry("error_already_enqueued", AlreadyEnqueuedException.class),
                Map.entry("error_lease_expired", LeaseExpiredException.class),
                Map.entry("error_draining", DrainingException.class),
                Map.entry("error", ServerErrorException.class),
                Map.entry("error_not_leader 10.0.0.2:6388", NotLeaderException.class),
                Map.entry("error_not_leader", NotLeaderException.class),
                Map.entry("error_max_keys", MaxKeysException.class),
                Map.entry("error_list_full", ListFullException.class),
                Map.entry("error_barrier_count_mismatch", BarrierCountMismatchException.class),
                Map.entry("no_such_status", ServerErrorException.class),
                // statuses of other commands (the data commands' nil and cas_conflict, §6.17) are malformed here
                Map.entry("nil", ProtocolViolationException.class),
                Map.entry("cas_conflict", ProtocolViolationException.class),
                Map.entry("queued", ProtocolViolationException.class));
        table.forEach((line, type) -> {
            DflockdException e = Replies.failure(line, S, "l my-key");
            assertThat(e).as(line).isExactlyInstanceOf(type);
            assertThat(e.getMessage()).as(line).startsWith("127.0.0.1:6388: ").contains("l my-key");
            assertThat(e.server()).isSameAs(S);
        });
        // a grant parser handed a failure reply maps it instead of calling it malformed
        assertThatThrownBy(() -> Replies.grant("error_max_locks", Status.OK, S, "l k")).isInstanceOf(MaxLocksException.class);
        assertThatThrownBy(() -> Replies.ok("error", S, "listen a")).isInstanceOf(ServerErrorException.class);
    }
}
