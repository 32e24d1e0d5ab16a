package io.dflockd.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Counters, key-value entries and lists over real TCP (PROTOCOL.md §6.16-6.18): every reply line byte
 * for byte, as upstream's redis-feats server answers, and bad input answered {@code error} on a
 * connection that stays open.
 */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class DataProtocolTest {
    private ServerFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new ServerFixture(b -> b.maxKeys(4).maxListLength(3));
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void countersAnswerTheirValueAndRefuseOverflow() throws Exception {
        try (RawPeer p = fx.connect()) {
            assertThat(p.call("get", "c", "")).isEqualTo("ok 0");
            assertThat(p.call("incr", "c", "5")).isEqualTo("ok 5");
            assertThat(p.call("decr", "c", "9223372036854775807")).isEqualTo("ok -9223372036854775802");
            assertThat(p.call("decr", "c", "9")).isEqualTo("error");
            assertThat(p.call("get", "c", "")).isEqualTo("ok -9223372036854775802");
            assertThat(p.call("cset", "c", "9223372036854775807")).isEqualTo("ok");
            assertThat(p.call("incr", "c", "1")).isEqualTo("error");
            assertThat(p.call("decr", "q", "-9223372036854775808")).isEqualTo("error");
            assertThat(p.call("incr", "c", "-1")).isEqualTo("ok 9223372036854775806");
        }
    }

    @Test
    void entriesAreSetReadComparedAndDeleted() throws Exception {
        try (RawPeer p = fx.connect()) {
            assertThat(p.call("kget", "k", "")).isEqualTo("nil");
            assertThat(p.call("kset", "k", "v\t0")).isEqualTo("ok");
            assertThat(p.call("kget", "k", "")).isEqualTo("ok v");
            assertThat(p.call("kcas", "k", "v\tw\t")).isEqualTo("ok");
            assertThat(p.call("kcas", "k", "\tz\t0")).isEqualTo("cas_conflict");
            assertThat(p.call("kcas", "k", "v\tz\t0")).isEqualTo("cas_conflict");
            assertThat(p.call("kget", "k", "")).isEqualTo("ok w");
            assertThat(p.call("kdel", "k", "")).isEqualTo("ok");
            assertThat(p.call("kdel", "k", "")).isEqualTo("ok");
            assertThat(p.call("kget", "k", "")).isEqualTo("nil");
            assertThat(p.call("kcas", "k", "\tnew\t30")).isEqualTo("ok");
            assertThat(p.call("kset", "k", "with spaces and = signs\t30")).isEqualTo("ok");
            assertThat(p.call("kget", "k", "")).isEqualTo("ok with spaces and = signs");
        }
    }

    @Test
    void listsPushPopAndRangeByteExact() throws Exception {
        try (RawPeer p = fx.connect()) {
            assertThat(p.call("rpush", "l", "a\"b\\c\u0001")).isEqualTo("ok 1");
            assertThat(p.call("rpush", "l", "x")).isEqualTo("ok 2");
            assertThat(p.call("lpush", "l", "é")).isEqualTo("ok 3");
            assertThat(p.call("llen", "l", "")).isEqualTo("ok 3");
            p.send("lrange", "l", "0 -1");
            assertThat(p.lineBytes()).isEqualTo("ok [\"é\",\"a\\\"b\\\\c\\u0001\",\"x\"]".getBytes(StandardCharsets.UTF_8));
            assertThat(p.call("lrange", "l", "5 9")).isEqualTo("ok []");
            assertThat(p.call("lrange", "l", "-1 -1")).isEqualTo("ok [\"x\"]");
            assertThat(p.call("lpop", "l", "")).isEqualTo("ok é");
            assertThat(p.call("rpop", "l", "")).isEqualTo("ok x");
            assertThat(p.call("blpop", "l", "1")).isEqualTo("ok a\"b\\c\u0001");
            assertThat(p.call("llen", "l", "")).isEqualTo("ok 0");
            assertThat(p.call("lpop", "l", "")).isEqualTo("nil");
            assertThat(p.call("brpop", "l", "0")).isEqualTo("nil");
            assertThat(p.call("llen", "nope", "")).isEqualTo("ok 0");
        }
    }

    @Test
    void invalidUtf8ItemsComeBackUnchanged() throws Exception {
        byte[] item = {'a', (byte) 0xff, (byte) 0xc3, 'z'};
        try (RawPeer p = fx.connect()) {
            p.raw(concat("rpush\nraw\n".getBytes(StandardCharsets.US_ASCII), item, new byte[] {'\n'}));
            assertThat(p.line()).isEqualTo("ok 1");
            p.send("lrange", "raw", "0 0");
            assertThat(p.lineBytes()).isEqualTo(concat("ok [\"".getBytes(StandardCharsets.US_ASCII), item,
                    "\"]".getBytes(StandardCharsets.US_ASCII)));
            p.send("rpop", "raw", "");
            assertThat(p.lineBytes()).isEqualTo(concat("ok ".getBytes(StandardCharsets.US_ASCII), item));
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void aBlockingPopWithNothingToTakeAnswersNilAtItsTimeout() throws Exception {
        try (RawPeer p = fx.connect()) {
            assertThat(p.call("brpop", "empty", "1")).isEqualTo("nil");
            assertThat(p.call("ping", "_", "_")).isEqualTo("ok");
        }
    }

    /** Waits until the list {@code key} has {@code n} waiting pops, as {@code stats} says. */
    private void awaitPopWaiters(String key, int n) {
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            for (JsonNode l : fx.stats().get("lists")) {
                if (l.get("key").asText().equals(key)) {
                    return l.path("pop_waiters").asInt() == n;
                }
            }
            return false;
        });
    }

    @Test
    void pushesGoToTheBlockedPopsInArrivalOrder() throws Exception {
        try (RawPeer first = fx.connect(); RawPeer second = fx.connect(); RawPeer pusher = fx.connect()) {
            first.send("blpop", "q", "30");
            awaitPopWaiters("q", 1);
            second.send("brpop", "q", "30");
            awaitPopWaiters("q", 2);
            assertThat(pusher.call("rpush", "q", "one")).isEqualTo("ok 0");
            assertThat(first.line()).isEqualTo("ok one");
            assertThat(pusher.call("lpush", "q", "two")).isEqualTo("ok 0");
            assertThat(second.line()).isEqualTo("ok two");
            assertThat(pusher.call("lpush", "q", "three")).isEqualTo("ok 1");
            assertThat(first.call("llen", "q", "")).isEqualTo("ok 1");
        }
    }

    @Test
    void aClosedConnectionsPopTakesNoItem() throws Exception {
        try (RawPeer pusher = fx.connect()) {
            try (RawPeer gone = fx.connect()) {
                gone.send("blpop", "q", "30");
                awaitPopWaiters("q", 1);
            }
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fx.stats().get("lists").isEmpty());
            assertThat(pusher.call("rpush", "q", "kept")).isEqualTo("ok 1");
            assertThat(pusher.call("lpop", "q", "")).isEqualTo("ok kept");
        }
    }

    @Test
    void maxKeysAndMaxListLengthAreEnforced() throws Exception {
        try (RawPeer p = fx.connect()) {
            assertThat(p.call("incr", "a", "1")).isEqualTo("ok 1");
            assertThat(p.call("kset", "a", "v")).isEqualTo("ok");
            assertThat(p.call("rpush", "a", "1")).isEqualTo("ok 1");
            assertThat(p.call("rpush", "a", "2")).isEqualTo("ok 2");
            assertThat(p.call("lpush", "a", "0")).isEqualTo("ok 3");
            assertThat(p.call("rpush", "a", "3")).isEqualTo("error_list_full");
            assertThat(p.call("cset", "b", "1")).isEqualTo("ok"); // the fourth key
            assertThat(p.call("kset", "b", "v")).isEqualTo("error_max_keys");
            assertThat(p.call("kcas", "c", "\tv\t")).isEqualTo("error_max_keys");
            assertThat(p.call("lpush", "c", "v")).isEqualTo("error_max_keys");
            assertThat(p.call("incr", "c", "1")).isEqualTo("error_max_keys");
            assertThat(p.call("blpop", "c", "1")).isEqualTo("error_max_keys");
            assertThat(p.call("l", "lock", "0")).as("locks are not keys of --max-keys").startsWith("ok ");
            assertThat(p.call("kdel", "a", "")).isEqualTo("ok");
            assertThat(p.call("kset", "b", "v\t30")).isEqualTo("ok");
            JsonNode stats = fx.stats();
            assertThat(stats.get("counters").toString())
                    .matches("\\[\\{\"key\":\"a\",\"value\":1,\"idle_s\":[0-9.E-]+},"
                            + "\\{\"key\":\"b\",\"value\":1,\"idle_s\":[0-9.E-]+}]");
            assertThat(stats.get("kv_entries").get(0).get("value_len").asInt()).isEqualTo(1);
            assertThat(stats.get("kv_entries").get(0).get("ttl").asDouble()).isBetween(1.0, 30.0);
            assertThat(stats.get("lists").get(0).get("len").asInt()).isEqualTo(3);
            assertThat(stats.get("lists").get(0).has("pop_waiters")).isFalse();
        }
    }

    @Test
    void badInputIsAnsweredErrorAndTheConnectionStaysOpen() throws Exception {
        try (RawPeer p = fx.connect()) {
            String[][] bad = {
                {"incr", "c", "x"}, {"incr", "c", ""}, {"decr", "c", "1 2"}, {"cset", "c", "9223372036854775808"},
                {"incr", "", "1"}, {"kset", "k", ""}, {"kset", "k", "\t5"}, {"kset", "k", "v\t5\t6"},
                {"kset", "k", "v\t-1"}, {"kcas", "k", "a\tb"}, {"kcas", "k", "a\t\t0"}, {"lpush", "l", ""},
                {"rpush", "l", ""}, {"lrange", "l", "0"}, {"lrange", "l", "a b"}, {"lrange", "l", "0 4294967296"},
                {"blpop", "l", "x"}, {"brpop", "l", "-1"}, {"blpop", "l", ""},
            };
            for (String[] r : bad) {
                assertThat(p.call(r[0], r[1], r[2])).as(String.join(" | ", r)).isEqualTo("error");
            }
            assertThat(p.call("incr", "c", "1")).isEqualTo("ok 1");
            assertThat(p.call("llen", "l", "")).isEqualTo("ok 0");
            assertThat(p.call("kget", "k", "")).isEqualTo("nil");
        }
    }
}
