package io.dflockd.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The grammar of the redis-feats data commands (PROTOCOL.md §6.16-6.20) and the watch push (§9.14). */
class DataRequestGrammarTest {
    @Test
    void everyDataRequestSurvivesEncodeAndParse() throws Exception {
        List<Request> all = List.of(
                new Request.CounterOp(Command.INCR, "c", 5), new Request.CounterOp(Command.INCR, "c", -5),
                new Request.CounterOp(Command.DECR, "c", Long.MAX_VALUE), new Request.CounterOp(Command.CSET, "c", Long.MIN_VALUE),
                new Request.CounterOp(Command.GET, "c", 0),
                new Request.KvSet("k", "a value with  spaces", 0), new Request.KvSet("k", "v", 60),
                new Request.KvGet("k"), new Request.KvDelete("k"),
                new Request.KvCas("k", "", "new", 0), new Request.KvCas("k", "old one", "new one", 9),
                new Request.ListPush("l", "item\twith tab", true), new Request.ListPush("l", " x ", false),
                Request.ListPop.now("l", true), Request.ListPop.now("l", false),
                new Request.ListPop("l", true, true, 5), new Request.ListPop("l", false, true, 0),
                new Request.ListLength("l"), new Request.ListRange("l", 0, -1), new Request.ListRange("l", -3, 2),
                new Request.Watch("a.*.>", true), new Request.Watch("a.b", false),
                new Request.BarrierWait("b", 3, 10), new Request.BarrierWait("b", 1, 0));
        for (Request r : all) {
            String[] lines = new String(r.encode(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1)
                    .split("\n", -1);
            assertThat(lines).as(r.toString()).hasSize(4);
            assertThat(RequestGrammar.parse(lines[0], lines[1], lines[2])).as(r.toString()).isEqualTo(r);
        }
    }

    @Test
    void encodesTheLinesUpstreamClientsSend() {
        assertThat(wire(new Request.CounterOp(Command.DECR, "c", 2))).isEqualTo("decr\nc\n2\n");
        assertThat(wire(new Request.CounterOp(Command.GET, "c", 0))).isEqualTo("get\nc\n\n");
        assertThat(wire(new Request.KvSet("k", "v w", 0))).isEqualTo("kset\nk\nv w\n");
        assertThat(wire(new Request.KvSet("k", "v", 30))).isEqualTo("kset\nk\nv\t30\n");
        assertThat(wire(new Request.KvCas("k", "", "v", 0))).isEqualTo("kcas\nk\n\tv\t0\n");
        assertThat(wire(new Request.ListPop("l", false, true, 7))).isEqualTo("brpop\nl\n7\n");
        assertThat(wire(new Request.ListRange("l", 0, -1))).isEqualTo("lrange\nl\n0 -1\n");
        assertThat(wire(new Request.Watch("a.>", true))).isEqualTo("watch\na.>\n\n");
        assertThat(wire(new Request.BarrierWait("b", 4, 10))).isEqualTo("bwait\nb\n4 10\n");
    }

    @Test
    void valuesAreTakenAsSentAndTheTtlAfterOneTab() throws Exception {
        assertThat(RequestGrammar.parse("kset", "k", " padded ")).isEqualTo(new Request.KvSet("k", " padded ", 0));
        assertThat(RequestGrammar.parse("kset", "k", "v\t 5 ")).isEqualTo(new Request.KvSet("k", "v", 5));
        assertThat(RequestGrammar.parse("kcas", "k", "a\tb\t")).isEqualTo(new Request.KvCas("k", "a", "b", 0));
        assertThat(RequestGrammar.parse("rpush", "l", "\t")).isEqualTo(new Request.ListPush("l", "\t", false));
        assertThat(RequestGrammar.parse("incr", "c", " -3 ")).isEqualTo(new Request.CounterOp(Command.INCR, "c", -3));
        assertThat(RequestGrammar.parse("get", "c", "ignored")).isEqualTo(new Request.CounterOp(Command.GET, "c", 0));
        assertThat(RequestGrammar.parse("lpop", "l", "ignored")).isEqualTo(Request.ListPop.now("l", true));
    }

    @Test
    void eachRuleHasItsErrorCode() {
        assertCode("incr", "c", "", ErrorCode.BAD_ARGUMENTS);
        assertCode("incr", "c", "1 2", ErrorCode.BAD_ARGUMENTS);
        assertCode("decr", "c", "x", ErrorCode.NOT_AN_INTEGER);
        assertCode("cset", "c", "99999999999999999999", ErrorCode.NOT_AN_INTEGER);
        assertCode("incr", "a b", "1", ErrorCode.BAD_KEY);
        assertCode("kset", "k", "", ErrorCode.BAD_ARGUMENTS);
        assertCode("kset", "k", "\t5", ErrorCode.BAD_ARGUMENTS);
        assertCode("kset", "k", "v\t5\t6", ErrorCode.BAD_ARGUMENTS);
        assertCode("kset", "k", "v\t-1", ErrorCode.BAD_TIMEOUT);
        assertCode("kset", "k", "v\tx", ErrorCode.NOT_AN_INTEGER);
        assertCode("kcas", "k", "a\tb", ErrorCode.BAD_ARGUMENTS);
        assertCode("kcas", "k", "a\t\t5", ErrorCode.BAD_ARGUMENTS);
        assertCode("kcas", "k", "a\tb\t5\t", ErrorCode.BAD_ARGUMENTS);
        assertCode("lpush", "l", "", ErrorCode.BAD_ARGUMENTS);
        assertCode("blpop", "l", "", ErrorCode.BAD_ARGUMENTS);
        assertCode("brpop", "l", "-1", ErrorCode.BAD_TIMEOUT);
        assertCode("lrange", "l", "0", ErrorCode.BAD_ARGUMENTS);
        assertCode("lrange", "l", "0 3000000000", ErrorCode.NOT_AN_INTEGER);
        assertCode("watch", "a.>.b", "", ErrorCode.BAD_KEY);
        assertCode("unwatch", "fo*.b", "", ErrorCode.BAD_KEY);
        assertCode("bwait", "b", "3", ErrorCode.BAD_ARGUMENTS);
        assertCode("bwait", "b", "0 5", ErrorCode.BAD_LIMIT);
        assertCode("bwait", "b", "2 -5", ErrorCode.BAD_TIMEOUT);
        assertCode("Kset", "k", "v", ErrorCode.UNKNOWN_COMMAND);
    }

    @Test
    void aWatchPushIsEventThenKey() {
        assertThat(new String(WatchFrame.encode(WatchFrame.Event.KSET, "cfg.db"), StandardCharsets.ISO_8859_1))
                .isEqualTo("watch kset cfg.db\n");
        for (WatchFrame.Event e : WatchFrame.Event.values()) {
            String line = new String(WatchFrame.encode(e, "k"), StandardCharsets.ISO_8859_1).stripTrailing();
            assertThat(WatchFrame.isPush(line)).isTrue();
            assertThat(WatchFrame.parse(line).known()).isEqualTo(e);
        }
        assertThat(WatchFrame.parse("watch expire k")).isEqualTo(new WatchFrame.Push("expire", "k"));
        assertThat(WatchFrame.parse("watch expire k").known()).isNull();
        assertThat(WatchFrame.isPush("leader elected k")).isFalse();
        assertThat(Reply.parse("watch kset k")).isInstanceOf(Reply.Unrecognized.class);
        for (String bad : new String[] {"watch", "watch kset", "watch  k", "watch kset ", "watch a b c", "sig a b"}) {
            assertThatThrownBy(() -> WatchFrame.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static String wire(Request r) {
        return new String(r.encode(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    private static void assertCode(String cmd, String key, String arg, ErrorCode code) {
        assertThatThrownBy(() -> RequestGrammar.parse(cmd, key, arg)).as(cmd + " " + key + " " + arg)
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
