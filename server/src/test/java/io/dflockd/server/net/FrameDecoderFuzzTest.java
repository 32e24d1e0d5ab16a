package io.dflockd.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dflockd.protocol.ProtocolLimits;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the request framer. Oracles: no exception escapes; every decoded request respects the
 * line caps and contains no LF and no trailing CR; nothing is decoded after a fatal framing event;
 * and the result does not depend on how the bytes were split into TCP reads (the same bytes
 * delivered in one piece and in random pieces decode identically).
 */
class FrameDecoderFuzzTest {
    /** Entry point for long runs with the standalone Jazzer driver (docs/RELIABILITY.md). */
    public static void fuzzerTestOneInput(FuzzedDataProvider data) throws Exception {
        new FrameDecoderFuzzTest().framingIsSafeAndIndependentOfReadBoundaries(data);
    }

    @FuzzTest(maxDuration = "15s")
    void framingIsSafeAndIndependentOfReadBoundaries(FuzzedDataProvider data) {
        int[] cuts = new int[data.consumeInt(0, 16)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = data.consumeInt(1, 300);
        }
        byte[] bytes = data.consumeRemainingAsBytes();

        List<Frame> whole = decode(bytes, new int[0]);
        List<Frame> pieces = decode(bytes, cuts);

        assertThat(pieces).as(() -> "pieces " + java.util.Arrays.toString(cuts) + " of " + bytes.length + " bytes: "
                + java.util.HexFormat.of().formatHex(bytes)).isEqualTo(whole);
        for (int i = 0; i < whole.size(); i++) {
            Frame r = whole.get(i);
            if (r.event() != Frame.Event.REQUEST) {
                assertThat(i).as("a fatal framing event is the last output").isEqualTo(whole.size() - 1);
                continue;
            }
            int argCap = r.command() == null ? ProtocolLimits.MAX_LINE_BYTES : r.command().argCap();
            assertThat(r.key().length()).isLessThanOrEqualTo(ProtocolLimits.MAX_LINE_BYTES);
            assertThat(r.arg().length()).isLessThanOrEqualTo(argCap);
            for (String line : new String[] {r.key(), r.arg()}) {
                assertThat(line).doesNotContain("\n");
                assertThat(line.endsWith("\r")).isFalse();
            }
        }
    }

    /** Feeds {@code bytes} in pieces of the given sizes (the rest in one piece) and collects the output. */
    static List<Frame> decode(byte[] bytes, int[] cuts) {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(0));
        int at = 0;
        for (int cut : cuts) {
            int n = Math.min(cut, bytes.length - at);
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, at, n));
            at += n;
        }
        if (at < bytes.length) {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes, at, bytes.length - at));
        }
        List<Frame> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add((Frame) o);
        }
        ch.checkException();
        ch.finishAndReleaseAll();
        return out;
    }
}
