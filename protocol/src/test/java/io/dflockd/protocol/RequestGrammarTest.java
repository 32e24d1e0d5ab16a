package io.dflockd.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The argument grammar of every command, without a server: typed results and error codes. */
class RequestGrammarTest {
    private static final String TOKEN = "0000000000000001a1b2c3d4e5f60718";

    @Test
    void everyRequestSurvivesEncodeAndParse() throws Exception {
        List<Request> all = List.of(
                Request.Acquire.lock("k", 10, 0), Request.Acquire.lock("k", 0, 60),
                Request.Acquire.semaphore("k", 5, 3, 0), Request.Acquire.semaphore("k", 5, 3, 7),
                Request.Enqueue.lock("k", 0), Request.Enqueue.lock("k", 9),
                Request.Enqueue.semaphore("k", 2, 0), Request.Enqueue.semaphore("k", 2, 9),
                new Request.Wait("k", 4, false), new Request.Wait("k", 4, true),
                new Request.Release("k", TOKEN, false), new Request.Release("k", TOKEN, true),
                new Request.Renew("k", TOKEN, 0, false), new Request.Renew("k", TOKEN, 12, true),
                new Request.Keep("k", TOKEN, 30, false), new Request.Keep("k", TOKEN, 30, true),
                new Request.Listen("a.*.>", ""), new Request.Listen("a.b", "workers"),
                new Request.Unlisten("a.b", "workers"), new Request.Publish("a.b", "hello  world\t!"),
                new Request.QueryStats(), new Request.Ping(), new Request.Barrier(), new Request.Auth("s3cret"),
                new Request.Admin("adm"), new Request.ClusterAdd("n4", "10.0.0.4:7001", "10.0.0.4:6388"),
                new Request.ClusterRemove("n3"), new Request.ClusterTransfer("node_4.b-c"),
                new Request.StableRef("worker-7 of 9"),
                Request.Acquire.readWrite(LockKind.READ, "k", 10, 0), Request.Acquire.readWrite(LockKind.WRITE, "k", 0, 60),
                Request.Enqueue.readWrite(LockKind.READ, "k", 0), Request.Enqueue.readWrite(LockKind.WRITE, "k", 9),
                new Request.Wait("k", 4, LockKind.READ), new Request.Wait("k", 0, LockKind.WRITE),
                new Request.Release("k", TOKEN, LockKind.READ), new Request.Release("k", TOKEN, LockKind.WRITE),
                new Request.Renew("k", TOKEN, 0, LockKind.READ), new Request.Renew("k", TOKEN, 12, LockKind.WRITE),
                new Request.Elect("k", 10, 0), new Request.Elect("k", 0, 30), new Request.Resign("k", TOKEN),
                new Request.Observe("k", true), new Request.Observe("k", false));
        for (Request r : all) {
            String[] lines = new String(r.encode(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1)
                    .split("\n", -1);
            assertThat(lines).hasSize(4);
            assertThat(lines[3]).isEmpty();
            assertThat(RequestGrammar.parse(lines[0], lines[1], lines[2])).as(r.toString()).isEqualTo(r);
        }
    }

    @Test
    void membershipCommandsTakeANodeIdAndHostPorts() throws Exception {
        assertThat(wire(new Request.ClusterAdd("n4", "h:7001", "h:6388"))).isEqualTo("cluster-add\nn4\nh:7001@h:6388\n");
        assertThat(wire(new Request.ClusterRemove("n4"))).isEqualTo("cluster-remove\nn4\n_\n");
        assertThat(wire(new Request.Admin("t"))).isEqualTo("admin\n_\nt\n");
        assertThat(RequestGrammar.parse("cluster-transfer", "n1", "ignored")).isEqualTo(new Request.ClusterTransfer("n1"));
        assertThat(RequestGrammar.parse("admin", "_", "  adm \t")).isEqualTo(new Request.Admin("adm"));
        assertThat(new Request.Admin("adm").toString()).doesNotContain("adm]");
        for (String[] bad : new String[][] {{"cluster-remove", "n 1", "_"}, {"cluster-transfer", "", "_"},
            {"cluster-remove", "x".repeat(65), "_"}}) {
            assertThatThrownBy(() -> RequestGrammar.parse(bad[0], bad[1], bad[2])).as(String.join("|", bad))
                    .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_KEY));
        }
        for (String arg : new String[] {"h:7001", "h:7001@", "@h:6388", "h:0@h:6388", "h:7001@h:65536",
            "h:7001@h:6388 extra", ""}) {
            assertThatThrownBy(() -> RequestGrammar.parse("cluster-add", "n4", arg)).as(arg)
                    .isInstanceOfSatisfying(ProtocolException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENTS));
        }
        assertThat(Command.lookup("cluster-transfer")).isEqualTo(Command.CLUSTER_TRANSFER);
        assertThat(Command.longestWire()).isEqualTo("cluster-transfer".length());
    }

    @Test
    void encodesTheBytesClientsHaveAlwaysSent() {
        assertThat(wire(Request.Acquire.lock("k", 10, 0))).isEqualTo("l\nk\n10\n");
        assertThat(wire(Request.Acquire.semaphore("k", 10, 3, 60))).isEqualTo("sl\nk\n10 3 60\n");
        assertThat(wire(Request.Enqueue.lock("k", 0))).isEqualTo("e\nk\n\n");
        assertThat(wire(Request.Enqueue.semaphore("k", 3, 0))).isEqualTo("se\nk\n3\n");
        assertThat(wire(new Request.Renew("k", TOKEN, 5, false))).isEqualTo("n\nk\n" + TOKEN + " 5\n");
        assertThat(wire(new Request.QueryStats())).isEqualTo("stats\n_\n_\n");
        assertThat(wire(new Request.Barrier())).isEqualTo("barrier\n_\n_\n");
        assertThat(wire(new Request.Auth("t"))).isEqualTo("auth\n_\nt\n");
        assertThat(wire(new Request.StableRef("0123abcd"))).isEqualTo("stable-ref\n0123abcd\n_\n");
        assertThat(new Request.Auth("t").toString()).doesNotContain("t]");
        assertThat(Request.Acquire.lock("ключ", 1, 0).encode(StandardCharsets.UTF_8))
                .hasSize("l\n\n1\n".length() + "ключ".getBytes(StandardCharsets.UTF_8).length);
    }

    /** Upstream redis-feats' read-write lock commands: the argument grammar of the lock command each mirrors. */
    @Test
    void readWriteLockCommandsTakeTheLockGrammar() throws Exception {
        assertThat(wire(Request.Acquire.readWrite(LockKind.READ, "k", 10, 0))).isEqualTo("rl\nk\n10\n");
        assertThat(wire(Request.Acquire.readWrite(LockKind.WRITE, "k", 10, 60))).isEqualTo("wl\nk\n10 60\n");
        assertThat(wire(new Request.Release("k", TOKEN, LockKind.READ))).isEqualTo("rr\nk\n" + TOKEN + "\n");
        assertThat(wire(new Request.Release("k", TOKEN, LockKind.WRITE))).isEqualTo("wr\nk\n" + TOKEN + "\n");
        assertThat(wire(new Request.Renew("k", TOKEN, 5, LockKind.READ))).isEqualTo("rn\nk\n" + TOKEN + " 5\n");
        assertThat(wire(new Request.Renew("k", TOKEN, 0, LockKind.WRITE))).isEqualTo("wn\nk\n" + TOKEN + "\n");
        assertThat(wire(Request.Enqueue.readWrite(LockKind.READ, "k", 0))).isEqualTo("re\nk\n\n");
        assertThat(wire(Request.Enqueue.readWrite(LockKind.WRITE, "k", 7))).isEqualTo("we\nk\n7\n");
        assertThat(wire(new Request.Wait("k", 3, LockKind.READ))).isEqualTo("rw\nk\n3\n");
        assertThat(wire(new Request.Wait("k", 3, LockKind.WRITE))).isEqualTo("ww\nk\n3\n");

        assertThat(RequestGrammar.parse("rl", "k", " 5\t30 ")).isEqualTo(new Request.Acquire("k", 5, 0, 30, LockKind.READ));
        assertThat(RequestGrammar.parse("wl", "k", "0")).isEqualTo(new Request.Acquire("k", 0, 0, 0, LockKind.WRITE));
        assertThat(RequestGrammar.parse("we", "k", "")).isEqualTo(new Request.Enqueue("k", 0, 0, LockKind.WRITE));
        assertThat(RequestGrammar.parse("wr", "k", " " + TOKEN)).isEqualTo(new Request.Release("k", TOKEN, LockKind.WRITE));
        assertThat(RequestGrammar.parse("ww", "k", "+2")).isEqualTo(new Request.Wait("k", 2, LockKind.WRITE));
        assertThat(RequestGrammar.parse("rw", "k", "0").command()).isEqualTo(Command.READ_WAIT);

        for (String cmd : new String[] {"rl", "wl"}) {
            assertCode(cmd, "k", "", ErrorCode.BAD_ARGUMENTS);
            assertCode(cmd, "k", "1 2 3", ErrorCode.BAD_ARGUMENTS);
            assertCode(cmd, "k", "1 3 60", ErrorCode.BAD_ARGUMENTS); // no limit: a semaphore's argument line is too long
            assertCode(cmd, "k", "x", ErrorCode.NOT_AN_INTEGER);
            assertCode(cmd, "k", "-1", ErrorCode.BAD_TIMEOUT);
            assertCode(cmd, "k", "1 0", ErrorCode.BAD_LEASE);
            assertCode(cmd, "a b", "1", ErrorCode.BAD_KEY);
        }
        for (String cmd : new String[] {"rr", "wr", "rn", "wn"}) {
            assertCode(cmd, "k", " ", ErrorCode.EMPTY_TOKEN);
            assertCode(cmd, "", TOKEN, ErrorCode.BAD_KEY);
        }
        assertCode("rn", "k", TOKEN + " 5 6", ErrorCode.BAD_ARGUMENTS);
        assertCode("wn", "k", TOKEN + " 0", ErrorCode.BAD_LEASE);
        assertCode("re", "k", "1 2", ErrorCode.BAD_ARGUMENTS);
        assertCode("we", "k", "0", ErrorCode.BAD_LEASE);
        assertCode("rw", "k", "", ErrorCode.BAD_ARGUMENTS);
        assertCode("ww", "k", "-1", ErrorCode.BAD_TIMEOUT);
        assertCode("rk", "k", TOKEN + " 5", ErrorCode.UNKNOWN_COMMAND); // keep has no read-write commands
        assertCode("wk", "k", TOKEN + " 5", ErrorCode.UNKNOWN_COMMAND);
        assertCode("ws", "k", "1", ErrorCode.UNKNOWN_COMMAND);
        assertCode("rx", "k", "1", ErrorCode.UNKNOWN_COMMAND);
    }

    /** Leader election (upstream redis-feats): elect takes l's argument line, resign r's, observe none. */
    @Test
    void electionCommandsTakeTheLockGrammar() throws Exception {
        assertThat(wire(new Request.Elect("k", 10, 0))).isEqualTo("elect\nk\n10\n");
        assertThat(wire(new Request.Elect("k", 0, 60))).isEqualTo("elect\nk\n0 60\n");
        assertThat(wire(new Request.Resign("k", TOKEN))).isEqualTo("resign\nk\n" + TOKEN + "\n");
        assertThat(wire(new Request.Observe("k", true))).isEqualTo("observe\nk\n\n");
        assertThat(wire(new Request.Observe("k", false))).isEqualTo("unobserve\nk\n\n");

        assertThat(RequestGrammar.parse("elect", "k", " 5\t30 ")).isEqualTo(new Request.Elect("k", 5, 30));
        assertThat(RequestGrammar.parse("elect", "k", "+0")).isEqualTo(new Request.Elect("k", 0, 0));
        assertThat(RequestGrammar.parse("resign", "k", " " + TOKEN + " ")).isEqualTo(new Request.Resign("k", TOKEN));
        // As upstream: observe's argument line is ignored, whatever it holds.
        assertThat(RequestGrammar.parse("observe", "k", "anything at all")).isEqualTo(new Request.Observe("k", true));
        assertThat(RequestGrammar.parse("unobserve", "k", "_")).isEqualTo(new Request.Observe("k", false));
        for (Command c : new Command[] {Command.ELECT, Command.RESIGN, Command.OBSERVE, Command.UNOBSERVE}) {
            assertThat(Command.lookup(c.wire())).isEqualTo(c);
            assertThat(c.keyed()).isTrue();
            assertThat(LockKind.of(c)).isNull();
        }

        assertCode("elect", "k", "", ErrorCode.BAD_ARGUMENTS);
        assertCode("elect", "k", "1 2 3", ErrorCode.BAD_ARGUMENTS);
        assertCode("elect", "k", "x", ErrorCode.NOT_AN_INTEGER);
        assertCode("elect", "k", "-1", ErrorCode.BAD_TIMEOUT);
        assertCode("elect", "k", "1 0", ErrorCode.BAD_LEASE);
        assertCode("elect", "a b", "1", ErrorCode.BAD_KEY);
        assertCode("resign", "k", " \t", ErrorCode.EMPTY_TOKEN);
        assertCode("resign", "", TOKEN, ErrorCode.BAD_KEY);
        assertCode("observe", "a b", "", ErrorCode.BAD_KEY);
        assertCode("unobserve", "", "", ErrorCode.BAD_KEY);
        assertCode("Elect", "k", "1", ErrorCode.UNKNOWN_COMMAND);
        assertCode("observ", "k", "", ErrorCode.UNKNOWN_COMMAND);
    }

    @Test
    void aLeaderPushIsEventThenKey() {
        assertThat(new String(LeaderFrame.encode(LeaderFrame.Event.FAILOVER, "jobs.main"), StandardCharsets.ISO_8859_1))
                .isEqualTo("leader failover jobs.main\n");
        for (LeaderFrame.Event e : LeaderFrame.Event.values()) {
            String line = new String(LeaderFrame.encode(e, "k"), StandardCharsets.ISO_8859_1).stripTrailing();
            assertThat(LeaderFrame.isPush(line)).isTrue();
            assertThat(LeaderFrame.parse(line)).isEqualTo(new LeaderFrame.Push(e.wire(), "k"));
            assertThat(LeaderFrame.parse(line).known()).isEqualTo(e);
        }
        assertThat(LeaderFrame.parse("leader lost k").known()).isEqualTo(LeaderFrame.Event.LOST);
        // A later server's event word passes through as sent, unknown to this version.
        assertThat(LeaderFrame.parse("leader demoted k")).isEqualTo(new LeaderFrame.Push("demoted", "k"));
        assertThat(LeaderFrame.parse("leader demoted k").known()).isNull();
        // No reply starts with the prefix, and a signal push is not a leader push.
        assertThat(LeaderFrame.isPush("ok")).isFalse();
        assertThat(LeaderFrame.isPush("sig leader x")).isFalse();
        assertThat(Reply.parse("leader elected k")).isInstanceOf(Reply.Unrecognized.class);
        for (String bad : new String[] {"leader", "leader elected", "leader  k", "leader elected ", "leader a b c",
            "sig a b"}) {
            assertThatThrownBy(() -> LeaderFrame.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void everyLockFamilyCommandHasItsKind() {
        for (LockKind kind : LockKind.values()) {
            for (Command c : new Command[] {kind.acquire(), kind.release(), kind.renew(), kind.enqueue(), kind.await()}) {
                assertThat(LockKind.of(c)).as(c.wire()).isEqualTo(kind);
                assertThat(Command.lookup(c.wire())).isEqualTo(c);
            }
        }
        assertThat(LockKind.of(Command.KEEP)).isNull();
        assertThat(LockKind.of(Command.PING)).isNull();
        assertThat(LockKind.READ.readWrite()).isTrue();
        assertThat(LockKind.SEMAPHORE.readWrite()).isFalse();
        assertThatThrownBy(() -> Request.Acquire.readWrite(LockKind.LOCK, "k", 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Status.fromWire("error_type_mismatch")).isEqualTo(Status.ERROR_TYPE_MISMATCH);
    }

    @Test
    void toleratesWhitespaceAsUpstreamDoes() throws Exception {
        assertThat(RequestGrammar.parse("l", "k", "  10 \t 60 ")).isEqualTo(Request.Acquire.lock("k", 10, 60));
        assertThat(RequestGrammar.parse("r", "k", " " + TOKEN + " ")).isEqualTo(new Request.Release("k", TOKEN, false));
        assertThat(RequestGrammar.parse("listen", "a.b", " g ")).isEqualTo(new Request.Listen("a.b", "g"));
        assertThat(RequestGrammar.parse("stats", "ignored key", "x")).isEqualTo(new Request.QueryStats());
        assertThat(RequestGrammar.parse("barrier", "ignored key", "x")).isEqualTo(new Request.Barrier());
        assertThat(RequestGrammar.parse("w", "k", "+3")).isEqualTo(new Request.Wait("k", 3, false));
    }

    /** Upstream's rule for a stable reference: trimmed, 1-64 bytes, every byte printable ASCII. */
    @Test
    void aStableRefIsOneToSixtyFourPrintableAsciiBytes() throws Exception {
        assertThat(RequestGrammar.parse("stable-ref", "  r 1 ", "ignored")).isEqualTo(new Request.StableRef("r 1"));
        assertThat(RequestGrammar.parse("stable-ref", "x".repeat(64), "_")).isEqualTo(new Request.StableRef("x".repeat(64)));
        assertCode("stable-ref", "x".repeat(65), "_", ErrorCode.BAD_ARGUMENTS);
        assertCode("stable-ref", " \t ", "_", ErrorCode.BAD_ARGUMENTS);
        assertCode("stable-ref", "a\u007fb", "_", ErrorCode.BAD_ARGUMENTS);
        assertCode("stable-ref", "caf\u00e9", "_", ErrorCode.BAD_ARGUMENTS);
    }

    @Test
    void eachRuleHasItsErrorCode() {
        assertCode("frob", "k", "1", ErrorCode.UNKNOWN_COMMAND);
        assertCode("Barrier", "_", "_", ErrorCode.UNKNOWN_COMMAND);
        assertCode("barrie", "_", "_", ErrorCode.UNKNOWN_COMMAND);
        assertCode("l", "a b", "1", ErrorCode.BAD_KEY);
        assertCode("l", "", "1", ErrorCode.BAD_KEY);
        assertCode("l", "k", "", ErrorCode.BAD_ARGUMENTS);
        assertCode("l", "k", "1 2 3", ErrorCode.BAD_ARGUMENTS);
        assertCode("l", "k", "x", ErrorCode.NOT_AN_INTEGER);
        assertCode("l", "k", "-1", ErrorCode.BAD_TIMEOUT);
        assertCode("l", "k", "1 0", ErrorCode.BAD_LEASE);
        assertCode("sl", "k", "1", ErrorCode.BAD_ARGUMENTS);
        assertCode("sl", "k", "1 0", ErrorCode.BAD_LIMIT);
        assertCode("r", "k", "  ", ErrorCode.EMPTY_TOKEN);
        assertCode("n", "k", "", ErrorCode.EMPTY_TOKEN);
        assertCode("n", "k", TOKEN + " 5 6", ErrorCode.BAD_ARGUMENTS);
        assertCode("e", "k", "1 2", ErrorCode.BAD_ARGUMENTS);
        assertCode("k", "k", TOKEN, ErrorCode.BAD_ARGUMENTS);
        assertCode("k", "k", "", ErrorCode.EMPTY_TOKEN);
        assertCode("sk", "k", TOKEN + " 0", ErrorCode.BAD_LEASE);
        assertCode("se", "k", "", ErrorCode.BAD_ARGUMENTS);
        assertCode("w", "k", "", ErrorCode.BAD_ARGUMENTS);
        assertCode("listen", "a.>.b", "", ErrorCode.BAD_KEY);
        assertCode("signal", "a.*", "p", ErrorCode.BAD_KEY);
        assertCode("signal", "a", " \t", ErrorCode.BAD_ARGUMENTS);
        assertCode("signal", "a", "p".repeat(ProtocolLimits.maxPayloadBytes(1) + 1), ErrorCode.BAD_ARGUMENTS);
    }

    private static String wire(Request r) {
        return new String(r.encode(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    private static void assertCode(String cmd, String key, String arg, ErrorCode code) {
        assertThatThrownBy(() -> RequestGrammar.parse(cmd, key, arg)).as(cmd + " " + key + " " + arg)
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
