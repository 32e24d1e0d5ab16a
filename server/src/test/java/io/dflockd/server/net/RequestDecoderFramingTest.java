package io.dflockd.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Framing cases found by {@link RequestDecoderFuzzTest}, pinned as plain regression tests. */
class RequestDecoderFramingTest {
    private static final byte[] CR_PADDED = ("ping\n" + "x".repeat(256) + "\r".repeat(9) + "\n_\n")
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void lineOfCapLengthPaddedWithManyCrsIsTooLongHoweverItArrives() {
        List<Request> whole = RequestDecoderFuzzTest.decode(CR_PADDED, new int[0]);
        // Split inside the CR run: the decoder sees more than cap + slack bytes without an LF.
        List<Request> split = RequestDecoderFuzzTest.decode(CR_PADDED, new int[] {5 + 256 + 9});

        assertThat(whole).extracting(Request::event).containsExactly(Request.Event.LINE_TOO_LONG);
        assertThat(split).isEqualTo(whole);
    }

    @Test
    void aFewTrailingCrsStillFitTheCap() {
        byte[] bytes = ("l\n" + "x".repeat(256) + "\r\r\r\n5\n").getBytes(StandardCharsets.US_ASCII);

        List<Request> whole = RequestDecoderFuzzTest.decode(bytes, new int[0]);

        assertThat(whole).hasSize(1);
        assertThat(whole.get(0).event()).isEqualTo(Request.Event.REQUEST);
        assertThat(whole.get(0).key()).hasSize(256);
        assertThat(RequestDecoderFuzzTest.decode(bytes, new int[] {3, 200, 57})).isEqualTo(whole);
    }
}
