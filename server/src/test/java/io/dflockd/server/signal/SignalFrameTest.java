package io.dflockd.server.signal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.SignalFrame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The push frame of PROTOCOL.md §9.8, byte for byte. */
class SignalFrameTest {

    @Test
    void payloadBytesAreKeptExactly() {
        // The wire bytes of a UTF-8 payload, held as a byte-exact Latin-1 string as the server does.
        byte[] payloadBytes = " héllo  wörld\t€ \u00ff end ".getBytes(StandardCharsets.UTF_8);
        byte[] withRaw = new byte[payloadBytes.length + 2];
        System.arraycopy(payloadBytes, 0, withRaw, 0, payloadBytes.length);
        withRaw[payloadBytes.length] = (byte) 0x80;
        withRaw[payloadBytes.length + 1] = (byte) 0xff;
        String payload = new String(withRaw, StandardCharsets.ISO_8859_1);

        SignalRouter router = new SignalRouter(0);
        FakeSubscriber s = new FakeSubscriber("s");
        router.listen(s, "events.*", "");
        router.publish("events.login", payload);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes("sig events.login ".getBytes(StandardCharsets.US_ASCII));
        expected.writeBytes(withRaw);
        expected.write('\n');
        assertThat(s.frames()).hasSize(1);
        assertThat(s.frames().get(0)).isEqualTo(expected.toByteArray());
    }

    @Test
    void frameNamesTheChannelNotThePatternAndParsesBack() {
        SignalRouter router = new SignalRouter(0);
        FakeSubscriber s = new FakeSubscriber("s");
        router.listen(s, "a.>", "");
        router.publish("a.b.c", "two words");

        String line = s.lines().get(0);
        assertThat(line).isEqualTo("sig a.b.c two words\n");
        String[] parsed = SignalFrame.parse(line.substring(0, line.length() - 1));
        assertThat(parsed).containsExactly("a.b.c", "two words");
    }

    @Test
    void everyReceiverGetsTheSameEncodedArray() {
        SignalRouter router = new SignalRouter(0);
        FakeSubscriber s1 = new FakeSubscriber("s1");
        FakeSubscriber s2 = new FakeSubscriber("s2");
        FakeSubscriber g = new FakeSubscriber("g");
        router.listen(s1, "a.b", "");
        router.listen(s2, "a.*", "");
        router.listen(g, "a.>", "grp");

        assertThat(router.publish("a.b", "x")).isEqualTo(3);
        byte[] frame = s1.frames().get(0);
        assertThat(s2.frames().get(0)).isSameAs(frame);
        assertThat(g.frames().get(0)).isSameAs(frame);
    }
}
