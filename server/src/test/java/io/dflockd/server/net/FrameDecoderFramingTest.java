package io.dflockd.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Framing cases found by {@link FrameDecoderFuzzTest}, pinned as plain regression tests. */
class FrameDecoderFramingTest {
    private static final byte[] CR_PADDED = ("ping\n" + "x".repeat(256) + "\r".repeat(9) + "\n_\n")
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void lineOfCapLengthPaddedWithManyCrsIsTooLongHoweverItArrives() {
        List<Frame> whole = FrameDecoderFuzzTest.decode(CR_PADDED, new int[0]);
        // Split inside the CR run: the decoder sees more than cap + slack bytes without an LF.
        List<Frame> split = FrameDecoderFuzzTest.decode(CR_PADDED, new int[] {5 + 256 + 9});

        assertThat(whole).extracting(Frame::event).containsExactly(Frame.Event.LINE_TOO_LONG);
        assertThat(split).isEqualTo(whole);
    }

    @Test
    void aFewTrailingCrsStillFitTheCap() {
        byte[] bytes = ("l\n" + "x".repeat(256) + "\r\r\r\n5\n").getBytes(StandardCharsets.US_ASCII);

        List<Frame> whole = FrameDecoderFuzzTest.decode(bytes, new int[0]);

        assertThat(whole).hasSize(1);
        assertThat(whole.get(0).event()).isEqualTo(Frame.Event.REQUEST);
        assertThat(whole.get(0).key()).hasSize(256);
        assertThat(FrameDecoderFuzzTest.decode(bytes, new int[] {3, 200, 57})).isEqualTo(whole);
    }
}
