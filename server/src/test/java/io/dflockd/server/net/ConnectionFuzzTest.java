package io.dflockd.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dflockd.server.fence.FenceAllocators;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockSettings;
import io.dflockd.server.lock.ResourceSnapshot;
import io.dflockd.server.signal.SignalRouter;
import io.dflockd.server.time.ManualTime;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Fuzzes whole connections: two connections of one server (decoder + command handler on Netty
 * embedded channels, the real lock manager and signal router, hand-driven time) receive a mix of
 * well-formed requests — reusing tokens the server handed out, so releases and renewals hit — and
 * raw bytes, with or without an auth token configured, sometimes while the server drains; data
 * commands too (counters, entries, lists with blocking pops, at their limits). Oracles: no exception escapes the pipeline; every output line starts with a known
 * status (or is a signal push); and once both connections are closed, no resource has a holder or
 * a waiter and no subscription is left.
 */
class ConnectionFuzzTest {
    private static final Set<String> STATUSES = Set.of("ok", "acquired", "queued", "timeout", "error", "error_auth",
            "error_max_locks", "error_max_waiters", "error_limit_mismatch", "error_not_enqueued",
            "error_already_enqueued", "error_lease_expired", "error_draining", "error_type_mismatch", "nil",
            "cas_conflict", "error_max_keys", "error_list_full");
    private static final String[] COMMANDS = {"l", "r", "n", "e", "w", "sl", "sr", "sn", "se", "sw", "k", "sk",
        "rl", "rr", "rn", "re", "rw", "wl", "wr", "wn", "we", "ww", "stats", "ping", "listen", "unlisten", "signal", "auth",
        "incr", "decr", "get", "cset", "kset", "kget", "kdel", "kcas", "lpush", "rpush", "lpop", "rpop", "llen",
        "lrange", "blpop", "brpop", "bogus"};
    /** Arguments the data commands accept now and then: numbers, ranges, values with a TTL, a kcas triple. */
    private static final String[] DATA_ARGS = {"1", "0", "2", "-1", "9223372036854775807", "0 -1", "v\t1", "\tv\t0",
        "v\tw\t1"};
    private static final String SECRET = "s3cret";
    private static final String[] KEYS = {"k", "k2", "s", "a.b", "a.*", ">", "", "a b", "_"};

    /** Entry point for long runs with the standalone Jazzer driver (docs/RELIABILITY.md). */
    public static void fuzzerTestOneInput(FuzzedDataProvider data) throws Exception {
        new ConnectionFuzzTest().connectionsSurviveAnyInputAndLeaveNothingBehind(data);
    }

    @FuzzTest(maxDuration = "15s")
    void connectionsSurviveAnyInputAndLeaveNothingBehind(FuzzedDataProvider data) throws IOException {
        ManualTime time = new ManualTime();
        LockManager locks = new LockManager(new LockSettings(3, 2, 5, 0, true, 3, 2), time, time,
                FenceAllocators.open(null, () -> 1_000L));
        SignalRouter signals = new SignalRouter(2);
        byte[] authToken = data.consumeBoolean() ? SECRET.getBytes(StandardCharsets.US_ASCII) : null;
        ServerContext server = new ServerContext(locks, signals, authToken, 0,
                () -> "{}".getBytes(StandardCharsets.UTF_8));
        EmbeddedChannel[] conns = {connection(server), connection(server)};
        List<String> tokens = new ArrayList<>();
        StringBuilder[] output = {new StringBuilder(), new StringBuilder()};

        int steps = data.consumeInt(1, 40);
        for (int i = 0; i < steps && data.remainingBytes() > 0; i++) {
            int c = data.consumeInt(0, 1);
            byte[] bytes = switch (data.consumeInt(0, 9)) {
                case 0 -> data.consumeBytes(data.consumeInt(0, 300));
                case 1 -> {
                    time.advance(Duration.ofMillis(data.consumeLong(0, 40_000)));
                    yield new byte[0];
                }
                case 2 -> ("auth\n_\n" + (data.consumeBoolean() ? SECRET : "wrong") + "\n")
                        .getBytes(StandardCharsets.US_ASCII);
                case 3 -> {
                    if (data.consumeInt(0, 9) == 0) {
                        // Graceful shutdown begins (PROTOCOL.md §13), as DflockdServer does it.
                        server.startDraining();
                        for (EmbeddedChannel ch : conns) {
                            ServerPipeline.beginDrain(ch);
                        }
                    }
                    yield new byte[0];
                }
                default -> request(data, tokens);
            };
            if (conns[c].isOpen()) { // once the server closed a connection, the peer's bytes go nowhere
                conns[c].writeInbound(Unpooled.wrappedBuffer(bytes));
            }
            conns[c].runPendingTasks();
            collect(conns[c], output[c], tokens);
        }
        for (int c = 0; c < conns.length; c++) {
            conns[c].checkException();
            conns[c].close();
            conns[c].runPendingTasks();
            collect(conns[c], output[c], tokens);
            conns[c].checkException();
            conns[c].finishAndReleaseAll();
        }
        time.advance(Duration.ofSeconds(60));

        for (StringBuilder out : output) {
            for (String line : out.toString().split("\n")) {
                if (!line.isEmpty() && !line.startsWith("sig ")) {
                    assertThat(STATUSES).as("status of reply line '%s'", line).contains(line.split(" ", 2)[0]);
                }
            }
        }
        for (ResourceSnapshot r : locks.snapshot()) {
            assertThat(r.holders()).as("holders of %s after every connection closed", r.key()).isZero();
            assertThat(r.waiters()).as("waiters of %s after every connection closed", r.key()).isZero();
        }
        assertThat(signals.stats()).as("subscriptions after every connection closed").isEmpty();
        assertThat(locks.data().listStats()).as("blocked pops after every connection closed")
                .allSatisfy(l -> assertThat(l.popWaiters()).isZero());
    }

    private static EmbeddedChannel connection(ServerContext server) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ServerPipeline.install(ch.pipeline(), server, 0);
        return ch;
    }

    /** A well-formed three-line request; the argument often carries a token seen in a reply. */
    private static byte[] request(FuzzedDataProvider data, List<String> tokens) {
        String cmd = data.pickValue(COMMANDS);
        String key = data.pickValue(KEYS);
        String arg;
        if (data.consumeInt(0, 3) == 0) {
            arg = data.pickValue(DATA_ARGS);
        } else if (!tokens.isEmpty() && data.consumeBoolean()) {
            arg = tokens.get(data.consumeInt(0, tokens.size() - 1)) + (data.consumeBoolean() ? " 3" : "");
        } else {
            arg = data.consumeAsciiString(12).replace('\n', ' ');
        }
        return (cmd + "\n" + key + "\n" + arg + "\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Appends what the server wrote and remembers the tokens of grants. */
    private static void collect(EmbeddedChannel ch, StringBuilder out, List<String> tokens) {
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            String text = b.toString(StandardCharsets.ISO_8859_1);
            b.release();
            out.append(text);
            for (String line : text.split("\n")) {
                String[] f = line.split(" ");
                if (f.length == 3 && f[1].length() == 32) {
                    tokens.add(f[1]);
                }
            }
        }
    }
}
