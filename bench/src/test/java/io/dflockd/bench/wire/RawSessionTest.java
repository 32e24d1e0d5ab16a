package io.dflockd.bench.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.protocol.FenceToken;
import io.dflockd.protocol.LockKind;
import io.dflockd.protocol.Request;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/**
 * The raw session against a {@link ScriptedPeer}: every request it sends (pre-encoded, re-sent, or built
 * from a template around a token or payload) is byte for byte the codec's encoding, and it reads the
 * servers' reply shapes, including redis-feats' fence field and the shapes left to the codec.
 */
class RawSessionTest extends ScriptedSessionTest<RawSession> {
    private static final String TOKEN = FenceToken.format(42, 0x3c0aa14494ee092bL);
    private static final String TOKEN2 = FenceToken.format(43, 0x0123456789abcdefL);

    @Override
    RawSession open(InetSocketAddress address) throws IOException {
        return RawSession.open(address);
    }

    @Test
    void acquireIsTheCodecsBytesEncodedOnceAndReencodedWhenArgumentsChange() throws Exception {
        peer.reply("ok " + TOKEN + " 33");
        assertThat(session.acquire("bench/k1", 10, 33)).isEqualTo(TOKEN);
        assertThat(peer.sent()).isEqualTo(codec(Request.Acquire.lock("bench/k1", 10, 33)));

        peer.reply("ok " + TOKEN2 + " 33 1739212345678"); // redis-feats appends the fence
        assertThat(session.acquire("bench/k1", 10, 33)).isEqualTo(TOKEN2);
        assertThat(peer.sent()).isEqualTo(codec(Request.Acquire.lock("bench/k1", 10, 33)));

        peer.reply("timeout");
        assertThat(session.acquire("bench/k1", 0, 0)).isNull();
        assertThat(peer.sent()).isEqualTo(codec(Request.Acquire.lock("bench/k1", 0, 0)));

        peer.reply("ok " + TOKEN + " 1234567890123456789"); // left to the codec by the fast check
        assertThat(session.acquire("clé/ü", 0, 0)).isEqualTo(TOKEN);
        assertThat(peer.sent()).isEqualTo(codec(Request.Acquire.lock("clé/ü", 0, 0)));
    }

    @Test
    void releaseIsTheCodecsBytesAroundEachToken() throws Exception {
        for (String key : new String[] {"bench/k1", "bench/k1", "clé/ü"}) {
            for (String token : new String[] {TOKEN, TOKEN2}) {
                peer.reply("ok");
                session.release(key, token);
                assertThat(peer.sent()).isEqualTo(codec(new Request.Release(key, token, false)));
                peer.reply("ok");
                session.semRelease(key, token);
                assertThat(peer.sent()).isEqualTo(codec(new Request.Release(key, token, true)));
            }
        }
    }

    @Test
    void semaphoreAcquirePingAndSignal() throws Exception {
        peer.reply("ok " + TOKEN + " 30");
        assertThat(session.semAcquire("s", 5, 3, 0)).isEqualTo(TOKEN);
        assertThat(peer.sent()).isEqualTo(codec(Request.Acquire.semaphore("s", 5, 3, 0)));
        peer.reply("ok " + TOKEN2 + " 30");
        assertThat(session.semAcquire("s", 5, 4, 0)).isEqualTo(TOKEN2);
        assertThat(peer.sent()).isEqualTo(codec(Request.Acquire.semaphore("s", 5, 4, 0)));

        peer.reply("ok");
        session.ping();
        assertThat(peer.sent()).isEqualTo(codec(new Request.Ping()));

        peer.reply("ok 7");
        assertThat(session.signal("events.x", "123")).isEqualTo(7);
        assertThat(peer.sent()).isEqualTo(codec(new Request.Publish("events.x", "123")));
        peer.reply("ok 0");
        assertThat(session.signal("events.x", "payload with spaces")).isZero();
        assertThat(peer.sent()).isEqualTo(codec(new Request.Publish("events.x", "payload with spaces")));
    }

    @Test
    void readWriteAcquiresAndReleasesAreTheCodecsBytesPerSide() throws Exception {
        for (int i = 0; i < 2; i++) { // the second pass re-sends what the first encoded
            peer.reply("ok " + TOKEN + " 33 2"); // upstream redis-feats: token, lease, fence
            assertThat(session.readAcquire("rw/k", 10, 0)).isEqualTo(TOKEN);
            assertThat(peer.sent()).isEqualTo(codec(Request.Acquire.readWrite(LockKind.READ, "rw/k", 10, 0)));
            peer.reply("ok");
            session.readRelease("rw/k", TOKEN);
            assertThat(peer.sent()).isEqualTo(codec(new Request.Release("rw/k", TOKEN, LockKind.READ)));

            peer.reply("ok " + TOKEN2 + " 33");
            assertThat(session.acquire(LockKind.WRITE, "rw/k", 10, 0, 0)).isEqualTo(TOKEN2);
            assertThat(peer.sent()).isEqualTo(codec(Request.Acquire.readWrite(LockKind.WRITE, "rw/k", 10, 0)));
            peer.reply("ok");
            session.release(LockKind.WRITE, "rw/k", TOKEN2);
            assertThat(peer.sent()).isEqualTo(codec(new Request.Release("rw/k", TOKEN2, LockKind.WRITE)));
        }
        peer.reply("timeout");
        assertThat(session.writeAcquire("rw/k", 1, 5)).isNull();
        assertThat(peer.sent()).isEqualTo(codec(Request.Acquire.readWrite(LockKind.WRITE, "rw/k", 1, 5)));
        peer.reply("type_mismatch");
        assertThatThrownBy(() -> session.readAcquire("rw/k", 1, 5)).isInstanceOf(IOException.class)
                .hasMessageContaining("rl rw/k");
        peer.sent();
    }

    @Test
    void unexpectedRepliesThrow() throws Exception {
        peer.reply("error");
        assertThatThrownBy(() -> session.release("k", TOKEN)).isInstanceOf(IOException.class)
                .hasMessageContaining("unexpected reply error");
        peer.sent();
        peer.reply("queued");
        assertThatThrownBy(() -> session.acquire("k", 0, 0)).isInstanceOf(IOException.class)
                .hasMessageContaining("unexpected reply queued");
        peer.sent();
        peer.reply("ok tok 5 x");
        assertThatThrownBy(() -> session.acquire("k", 0, 0)).isInstanceOf(IOException.class)
                .hasMessageContaining("malformed reply");
        peer.sent();
        peer.reply("ok " + TOKEN + " 33");
        assertThatThrownBy(() -> session.signal("c", "1")).isInstanceOf(IOException.class)
                .hasMessageContaining("unexpected reply ok " + TOKEN);
        peer.sent();
    }
}
