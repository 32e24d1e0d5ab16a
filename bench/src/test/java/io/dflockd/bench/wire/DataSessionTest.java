package io.dflockd.bench.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.protocol.Command;
import io.dflockd.protocol.Request;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The data session against a {@link ScriptedPeer}: every request is byte for byte the codec's
 * encoding (re-sent while equal, re-encoded when the key or arguments change, templated around a
 * value or item), and every reply is read strictly, a refused one naming the request.
 */
class DataSessionTest extends ScriptedSessionTest<DataSession> {
    @Override
    DataSession open(InetSocketAddress address) throws IOException {
        return DataSession.open(address);
    }

    @Test
    void countersAreTheCodecsBytesAndReadSigned() throws Exception {
        for (String key : new String[] {"c1", "c1", "c2"}) {
            peer.reply("ok -3");
            assertThat(session.incr(key, 1)).isEqualTo(-3);
            assertThat(peer.sent()).isEqualTo(codec(new Request.CounterOp(Command.INCR, key, 1)));
        }
        peer.reply("ok 5");
        assertThat(session.incr("c2", 8)).isEqualTo(5);
        assertThat(peer.sent()).isEqualTo(codec(new Request.CounterOp(Command.INCR, "c2", 8)));
        peer.reply("ok 0");
        assertThat(session.get("c2")).isZero();
        assertThat(peer.sent()).isEqualTo(codec(new Request.CounterOp(Command.GET, "c2", 0)));
    }

    @Test
    void kvValuesGoThroughTheTemplateAndComeBackAsSent() throws Exception {
        StringBuilder value = new StringBuilder("v.1");
        for (String key : new String[] {"e1", "e1", "e2"}) {
            peer.reply("ok");
            session.kset(key, value);
            assertThat(peer.sent()).isEqualTo(codec(new Request.KvSet(key, value.toString(), 0)));
            peer.reply("ok " + value);
            assertThat(session.kget(key)).isEqualTo(value.toString());
            assertThat(peer.sent()).isEqualTo(codec(new Request.KvGet(key)));
            value.append(" 2");
        }
        peer.reply("nil");
        assertThat(session.kget("e2")).isNull();
        peer.sent();
        peer.reply("ok");
        session.kdel("e2");
        assertThat(peer.sent()).isEqualTo(codec(new Request.KvDelete("e2")));
    }

    @Test
    void listPushesPopsAndLength() throws Exception {
        peer.reply("ok 1");
        assertThat(session.rpush("q", "item-0")).isEqualTo(1);
        assertThat(peer.sent()).isEqualTo(codec(new Request.ListPush("q", "item-0", false)));
        peer.reply("ok 0"); // handed straight to a blocked pop
        assertThat(session.rpush("q", "item-1")).isZero();
        assertThat(peer.sent()).isEqualTo(codec(new Request.ListPush("q", "item-1", false)));
        peer.reply("ok item-0");
        assertThat(session.blpop("q", 10)).isEqualTo("item-0");
        assertThat(peer.sent()).isEqualTo(codec(new Request.ListPop("q", true, true, 10)));
        peer.reply("nil"); // the timeout of a blocking pop
        assertThat(session.blpop("q", 1)).isNull();
        assertThat(peer.sent()).isEqualTo(codec(new Request.ListPop("q", true, true, 1)));
        peer.reply("ok 0");
        assertThat(session.llen("q")).isZero();
        assertThat(peer.sent()).isEqualTo(codec(new Request.ListLength("q")));
    }

    @Test
    void otherRepliesThrowNamingTheRequest() throws Exception {
        peer.reply("error_max_keys");
        assertThatThrownBy(() -> session.incr("c", 1)).isInstanceOf(IOException.class)
                .hasMessage("incr c: expected 'ok <integer>', got 'error_max_keys'");
        peer.sent();
        peer.reply("ok");
        assertThatThrownBy(() -> session.kget("e")).isInstanceOf(IOException.class)
                .hasMessage("kget e: expected 'ok <value> or nil', got 'ok'");
        peer.sent();
        peer.reply("ok -1");
        assertThatThrownBy(() -> session.rpush("q", "x")).isInstanceOf(IOException.class)
                .hasMessage("rpush q: expected 'ok <count>', got 'ok -1'");
        peer.sent();
        peer.reply("timeout");
        assertThatThrownBy(() -> session.blpop("q", 1)).isInstanceOf(IOException.class)
                .hasMessage("blpop q: expected 'ok <value> or nil', got 'timeout'");
        peer.sent();
        peer.reply("error_list_full");
        assertThatThrownBy(() -> session.kset("e", "v")).isInstanceOf(IOException.class)
                .hasMessageContaining("kset e: unexpected reply error_list_full");
        peer.sent();
    }
}
