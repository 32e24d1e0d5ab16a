package io.dflockd.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.ResourceSnapshot;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Long-polls and session expiry, every interleaving set up exactly: the lock manager on a manual
 * clock, each HTTP request on an embedded channel whose tasks run only when the test says.
 */
class LongPollTest {
    private final EmbeddedApi api = new EmbeddedApi(HttpApiSettings.DEFAULTS);
    private final LockOwner tcp = new LockOwner(1);

    private String holdOverTcp(String key) {
        Outcome o = api.locks.acquire(tcp, key, 1, 0, 3600, x -> { });
        assertThat(o.kind()).isEqualTo(Outcome.Kind.GRANTED);
        return o.token();
    }

    private ResourceSnapshot state(String key) {
        return api.locks.snapshot().stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    }

    private static String body(FullHttpResponse r) {
        return r.content().toString(StandardCharsets.UTF_8);
    }

    @Test
    void aClientGoneWhileQueuedLosesItsPlace() {
        String token = holdOverTcp("k");
        String session = api.session();
        EmbeddedApi.Call poll = api.post("/v1/locks/k", session, "{\"acquire_timeout_s\":30}");
        assertThat(poll.response()).as("still waiting").isNull();
        assertThat(state("k").waiters()).isEqualTo(1);

        poll.channel.close();
        assertThat(state("k").waiters()).as("withdrawn at once").isZero();
        api.locks.release("k", token);
        assertThat(state("k").holders()).as("nobody was granted the lock").isZero();
        assertThat(api.sessions.count()).as("the session itself lives on").isEqualTo(1);
    }

    @Test
    void aGrantOnItsWayToAClientThatWentAwayIsGivenBack() {
        String token = holdOverTcp("k");
        String session = api.session();
        EmbeddedApi.Call poll = api.post("/v1/locks/k", session, "{\"acquire_timeout_s\":30}");
        api.locks.release("k", token); // the grant is handed over to the poll's event loop ...
        assertThat(state("k").holders()).isEqualTo(1);
        // ... whose client goes away before it runs (EmbeddedChannel.close() would run the tasks first)
        poll.channel.unsafe().close(poll.channel.voidPromise());
        poll.runTasks();
        assertThat(state("k").holders()).as("released at once, not after the 33 s lease").isZero();
        assertThat(api.locks.acquire(new LockOwner(2), "k", 1, 0, 60, x -> { }).kind())
                .isEqualTo(Outcome.Kind.GRANTED);
    }

    @Test
    void aGrantIsAnsweredAndTheNextBlockingCallOfTheSessionStartsAfterIt() {
        String token = holdOverTcp("k");
        String session = api.session();
        EmbeddedApi.Call first = api.post("/v1/locks/k", session, "{\"acquire_timeout_s\":30}");
        EmbeddedApi.Call second = api.post("/v1/semaphores/s", session, "{\"acquire_timeout_s\":30,\"limit\":2}");
        assertThat(second.response()).as("parked behind the first blocking call").isNull();
        api.locks.release("k", token);
        first.runTasks();
        FullHttpResponse granted = first.response();
        assertThat(granted.status().code()).isEqualTo(200);
        assertThat(body(granted)).startsWith("{\"status\":\"ok\",\"token\":\"").endsWith(",\"lease_ttl_s\":33}\n");
        second.runTasks();
        assertThat(body(second.response())).startsWith("{\"status\":\"ok\"");
    }

    @Test
    void aWaitThatTimesOutAnswersTimeout() {
        holdOverTcp("k");
        String session = api.session();
        assertThat(body(api.post("/v1/locks/k/enqueue", session, "").response())).isEqualTo("{\"status\":\"queued\"}\n");
        EmbeddedApi.Call wait = api.post("/v1/locks/k/wait", session, "{\"timeout_s\":5}");
        api.time.advance(Duration.ofSeconds(5));
        wait.runTasks();
        assertThat(body(wait.response())).isEqualTo("{\"status\":\"timeout\"}\n");
        assertThat(state("k").waiters()).isZero();
    }

    @Test
    void anIdleSessionExpiresAfterTwiceTheIdleTimeoutAndReleasesWhatItHeld() {
        String session = api.session();
        assertThat(body(api.post("/v1/locks/k", session, "{\"acquire_timeout_s\":0,\"lease_ttl_s\":3600}").response()))
                .startsWith("{\"status\":\"ok\"");
        api.time.advance(Duration.ofSeconds(30));
        assertThat(api.post("/v1/sessions/" + session + "/ping", null, "").response().status().code()).isEqualTo(204);
        api.time.advance(Duration.ofSeconds(39));
        assertThat(state("k").holders()).as("pinged 39 s ago: alive").isEqualTo(1);
        api.time.advance(Duration.ofSeconds(1));
        assertThat(api.sessions.count()).isZero();
        assertThat(state("k").holders()).as("expiry is the disconnect cleanup").isZero();
        assertThat(api.post("/v1/sessions/" + session + "/ping", null, "").response().status().code()).isEqualTo(410);
    }

    @Test
    void aSessionWithALongPollInFlightDoesNotExpire() {
        holdOverTcp("k");
        String session = api.session();
        EmbeddedApi.Call poll = api.post("/v1/locks/k", session, "{\"acquire_timeout_s\":300}");
        api.time.advance(Duration.ofSeconds(200));
        assertThat(api.sessions.count()).isEqualTo(1);
        assertThat(state("k").waiters()).isEqualTo(1);
        api.time.advance(Duration.ofSeconds(100)); // the poll times out ...
        poll.runTasks();
        assertThat(body(poll.response())).isEqualTo("{\"status\":\"timeout\"}\n");
        api.time.advance(Duration.ofSeconds(39));
        assertThat(api.sessions.count()).as("... and the idle clock starts from its answer").isEqualTo(1);
        api.time.advance(Duration.ofSeconds(1));
        assertThat(api.sessions.count()).isZero();
    }

    @Test
    void deletingASessionAnswersItsLongPollSessionGone() {
        holdOverTcp("k");
        String session = api.session();
        EmbeddedApi.Call poll = api.post("/v1/locks/k", session, "{\"acquire_timeout_s\":30}");
        EmbeddedApi.Call delete = api.new Call(io.netty.handler.codec.http.HttpMethod.DELETE,
                "/v1/sessions/" + session, null, "");
        assertThat(delete.response().status().code()).isEqualTo(204);
        poll.runTasks();
        FullHttpResponse gone = poll.response();
        assertThat(gone.status().code()).isEqualTo(410);
        assertThat(body(gone)).startsWith("{\"error\":\"session_gone\"");
        assertThat(state("k").waiters()).isZero();
    }
}
