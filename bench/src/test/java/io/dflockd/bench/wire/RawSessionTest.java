package io.dflockd.bench.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.protocol.FenceToken;
import io.dflockd.protocol.LockKind;
import io.dflockd.protocol.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The raw session against a scripted peer: every request it sends (pre-encoded, re-sent, or built
 * from a template around a token or payload) is byte for byte the codec's encoding, and it reads the
 * servers' reply shapes, including redis-feats' fence field and the shapes left to the codec.
 */
class RawSessionTest {
    private static final String TOKEN = FenceToken.format(42, 0x3c0aa14494ee092bL);
    private static final String TOKEN2 = FenceToken.format(43, 0x0123456789abcdefL);

    private ServerSocket listener;
    private Thread peer;
    private final BlockingQueue<byte[]> requests = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private RawSession session;

    @BeforeEach
    void start() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        peer = new Thread(this::serve, "scripted-peer");
        peer.setDaemon(true);
        peer.start();
        session = RawSession.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()));
    }

    @AfterEach
    void stop() throws Exception {
        session.close();
        listener.close();
        peer.join(5_000);
    }

    /** Reads one three-line request at a time, hands it to the test and writes the scripted reply. */
    private void serve() {
        try (Socket s = listener.accept()) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                ByteArrayOutputStream req = new ByteArrayOutputStream();
                int lines = 0;
                while (lines < 3) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    req.write(b);
                    if (b == '\n') {
                        lines++;
                    }
                }
                requests.put(req.toByteArray());
                String reply = replies.poll(10, TimeUnit.SECONDS);
                if (reply == null) {
                    return;
                }
                out.write((reply + "\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the test closed the connection
        }
    }

    /** The next request the peer received. */
    private byte[] sent() throws InterruptedException {
        byte[] r = requests.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("a request reached the peer").isNotNull();
        return r;
    }

    private static byte[] codec(Request r) {
        return r.encode(StandardCharsets.UTF_8);
    }

    @Test
    void acquireIsTheCodecsBytesEncodedOnceAndReencodedWhenArgumentsChange() throws Exception {
        replies.add("ok " + TOKEN + " 33");
        assertThat(session.acquire("bench/k1", 10, 33)).isEqualTo(TOKEN);
        assertThat(sent()).isEqualTo(codec(Request.Acquire.lock("bench/k1", 10, 33)));

        replies.add("ok " + TOKEN2 + " 33 1739212345678"); // redis-feats appends the fence
        assertThat(session.acquire("bench/k1", 10, 33)).isEqualTo(TOKEN2);
        assertThat(sent()).isEqualTo(codec(Request.Acquire.lock("bench/k1", 10, 33)));

        replies.add("timeout");
        assertThat(session.acquire("bench/k1", 0, 0)).isNull();
        assertThat(sent()).isEqualTo(codec(Request.Acquire.lock("bench/k1", 0, 0)));

        replies.add("ok " + TOKEN + " 1234567890123456789"); // left to the codec by the fast check
        assertThat(session.acquire("clé/ü", 0, 0)).isEqualTo(TOKEN);
        assertThat(sent()).isEqualTo(codec(Request.Acquire.lock("clé/ü", 0, 0)));
    }

    @Test
    void releaseIsTheCodecsBytesAroundEachToken() throws Exception {
        for (String key : new String[] {"bench/k1", "bench/k1", "clé/ü"}) {
            for (String token : new String[] {TOKEN, TOKEN2}) {
                replies.add("ok");
                session.release(key, token);
                assertThat(sent()).isEqualTo(codec(new Request.Release(key, token, false)));
                replies.add("ok");
                session.semRelease(key, token);
                assertThat(sent()).isEqualTo(codec(new Request.Release(key, token, true)));
            }
        }
    }

    @Test
    void semaphoreAcquirePingAndSignal() throws Exception {
        replies.add("ok " + TOKEN + " 30");
        assertThat(session.semAcquire("s", 5, 3, 0)).isEqualTo(TOKEN);
        assertThat(sent()).isEqualTo(codec(Request.Acquire.semaphore("s", 5, 3, 0)));
        replies.add("ok " + TOKEN2 + " 30");
        assertThat(session.semAcquire("s", 5, 4, 0)).isEqualTo(TOKEN2);
        assertThat(sent()).isEqualTo(codec(Request.Acquire.semaphore("s", 5, 4, 0)));

        replies.add("ok");
        session.ping();
        assertThat(sent()).isEqualTo(codec(new Request.Ping()));

        replies.add("ok 7");
        assertThat(session.signal("events.x", "123")).isEqualTo(7);
        assertThat(sent()).isEqualTo(codec(new Request.Publish("events.x", "123")));
        replies.add("ok 0");
        assertThat(session.signal("events.x", "payload with spaces")).isZero();
        assertThat(sent()).isEqualTo(codec(new Request.Publish("events.x", "payload with spaces")));
    }

    @Test
    void readWriteAcquiresAndReleasesAreTheCodecsBytesPerSide() throws Exception {
        for (int i = 0; i < 2; i++) { // the second pass re-sends what the first encoded
            replies.add("ok " + TOKEN + " 33 2"); // upstream redis-feats: token, lease, fence
            assertThat(session.readAcquire("rw/k", 10, 0)).isEqualTo(TOKEN);
            assertThat(sent()).isEqualTo(codec(Request.Acquire.readWrite(LockKind.READ, "rw/k", 10, 0)));
            replies.add("ok");
            session.readRelease("rw/k", TOKEN);
            assertThat(sent()).isEqualTo(codec(new Request.Release("rw/k", TOKEN, LockKind.READ)));

            replies.add("ok " + TOKEN2 + " 33");
            assertThat(session.acquire(LockKind.WRITE, "rw/k", 10, 0, 0)).isEqualTo(TOKEN2);
            assertThat(sent()).isEqualTo(codec(Request.Acquire.readWrite(LockKind.WRITE, "rw/k", 10, 0)));
            replies.add("ok");
            session.release(LockKind.WRITE, "rw/k", TOKEN2);
            assertThat(sent()).isEqualTo(codec(new Request.Release("rw/k", TOKEN2, LockKind.WRITE)));
        }
        replies.add("timeout");
        assertThat(session.writeAcquire("rw/k", 1, 5)).isNull();
        assertThat(sent()).isEqualTo(codec(Request.Acquire.readWrite(LockKind.WRITE, "rw/k", 1, 5)));
        replies.add("type_mismatch");
        assertThatThrownBy(() -> session.readAcquire("rw/k", 1, 5)).isInstanceOf(IOException.class)
                .hasMessageContaining("rl rw/k");
        sent();
    }

    @Test
    void unexpectedRepliesThrow() throws Exception {
        replies.add("error");
        assertThatThrownBy(() -> session.release("k", TOKEN)).isInstanceOf(IOException.class)
                .hasMessageContaining("unexpected reply error");
        sent();
        replies.add("queued");
        assertThatThrownBy(() -> session.acquire("k", 0, 0)).isInstanceOf(IOException.class)
                .hasMessageContaining("unexpected reply queued");
        sent();
        replies.add("ok tok 5 x");
        assertThatThrownBy(() -> session.acquire("k", 0, 0)).isInstanceOf(IOException.class)
                .hasMessageContaining("malformed reply");
        sent();
        replies.add("ok " + TOKEN + " 33");
        assertThatThrownBy(() -> session.signal("c", "1")).isInstanceOf(IOException.class)
                .hasMessageContaining("unexpected reply ok " + TOKEN);
        sent();
    }
}
