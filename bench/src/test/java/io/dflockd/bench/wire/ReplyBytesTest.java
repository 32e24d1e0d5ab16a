package io.dflockd.bench.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.FenceToken;
import io.dflockd.protocol.Reply;
import io.dflockd.protocol.SignalFrame;
import io.dflockd.protocol.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The load tool's in-place reply checks agree with the codec: whatever they accept, {@link Reply#parse}
 * (or {@link SignalFrame#parse}) reads as the same shape with the same fields; and they accept every
 * shape the servers send on the bench's paths, so the codec is only asked about the unexpected.
 */
class ReplyBytesTest {
    private static final String TOKEN = FenceToken.format(0x18eb47438f41d3ffL, 0x3c0aa14494ee092bL);

    /** What ours and upstream (main and redis-feats) answer on the bench's paths. */
    private static final List<String> SERVER_SHAPES = List.of(
            "ok", "timeout", "ok " + TOKEN + " 33", "ok " + TOKEN + " 30 1739212345678",
            "ok 0", "ok 100", "sig events.x 1234567890123", "sig a.b payload with spaces");

    private static final List<String> NEAR_MISSES = List.of(
            "", "o", "ok ", "ok  ", "okay", "ok5", "OK", " ok", "ok\t1", "timeout x", "timeouts",
            "ok tok", "ok tok ", "ok tok 5 ", "ok tok 5 x", "ok tok x", "ok tok 5 6 7", "ok  5", "ok tok  5",
            "ok 12 34", "ok 12 34 56", "ok 1234567890123456789 5", "ok 12345678901234567890 5",
            "ok {\"a\":1}", "ok [1]", "ok {x 5", "ok [x 5 6",
            "ok tok 1234567890123456789", "ok tok 99999999999999999999", "ok tok 5 1234567890123456789",
            "ok 1234567890123456789", "ok 9999999999999999999", "ok 12345678901234567890", "ok -1", "ok +1",
            "queued", "acquired " + TOKEN + " 33", "error", "error_max_locks", "error_auth bad token",
            "sig", "sig ", "sig ch", "sig  payload", "sig ch ", "sigh x y", "Sig a b");

    @Test
    void acceptsEveryShapeTheServersSend() {
        assertThat(bare("ok", Status.OK)).isTrue();
        assertThat(bare("timeout", Status.TIMEOUT)).isTrue();
        assertThat(tokenEnd("ok " + TOKEN + " 33")).isEqualTo(3 + TOKEN.length());
        assertThat(tokenEnd("ok " + TOKEN + " 30 1739212345678")).isEqualTo(3 + TOKEN.length());
        assertThat(count("ok 0")).isZero();
        assertThat(count("ok 100")).isEqualTo(100);
        assertThat(payloadStart("sig events.x 1234567890123")).isEqualTo("sig events.x ".length());
        for (String line : SERVER_SHAPES) {
            agrees(line);
        }
    }

    @Test
    void agreesWithTheCodecOnNearMisses() {
        for (String line : NEAR_MISSES) {
            agrees(line);
        }
    }

    @Test
    void agreesWithTheCodecOnRandomLines() {
        Random rnd = new Random(13);
        String[] starts = {"ok ", "ok", "timeout", "sig ", "acquired ", "error", "", "ok " + TOKEN + " "};
        String alphabet = "0123456789 abcdefok{[sig\u00e9";
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            StringBuilder b = new StringBuilder(starts[rnd.nextInt(starts.length)]);
            int n = rnd.nextInt(25);
            for (int k = 0; k < n; k++) {
                b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            lines.add(b.toString());
        }
        for (String line : lines) {
            agrees(line);
        }
    }

    /** Every check on {@code line}, placed inside a larger buffer, against the codec. */
    private static void agrees(String line) {
        Reply parsed;
        try {
            parsed = Reply.parse(line);
        } catch (IllegalArgumentException malformed) {
            parsed = null;
        }
        assertThat(bare(line, Status.OK)).as("ok: '%s'", line).isEqualTo(new Reply.Bare(Status.OK).equals(parsed));
        assertThat(bare(line, Status.TIMEOUT)).as("timeout: '%s'", line)
                .isEqualTo(new Reply.Bare(Status.TIMEOUT).equals(parsed));
        int end = tokenEnd(line);
        if (end >= 0) {
            assertThat(parsed).as("grant: '%s'", line).isInstanceOf(Reply.Granted.class);
            Reply.Granted g = (Reply.Granted) parsed;
            assertThat(g.status()).isEqualTo(Status.OK);
            assertThat(line.substring(ReplyBytes.TOKEN_START, end)).isEqualTo(g.token());
        }
        long n = count(line);
        if (n >= 0) {
            assertThat(parsed).as("count: '%s'", line).isEqualTo(new Reply.Numeric(n));
        }
        String[] push;
        try {
            push = SignalFrame.parse(line);
        } catch (IllegalArgumentException notAPush) {
            push = null;
        }
        int p = payloadStart(line);
        assertThat(p >= 0).as("push: '%s'", line).isEqualTo(push != null);
        if (p >= 0) {
            assertThat(line.substring(p)).isEqualTo(push[1]);
        }
    }

    private static final int PAD = 5;

    /** The line's Latin-1 bytes with junk around it, so the checks must respect from/to. */
    private static byte[] padded(String line) {
        byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[b.length + 2 * PAD];
        java.util.Arrays.fill(out, (byte) '7');
        System.arraycopy(b, 0, out, PAD, b.length);
        return out;
    }

    private static boolean bare(String line, Status s) {
        byte[] b = padded(line);
        return ReplyBytes.isBare(b, PAD, b.length - PAD, s);
    }

    private static int tokenEnd(String line) {
        byte[] b = padded(line);
        int end = ReplyBytes.grantedTokenEnd(b, PAD, b.length - PAD);
        return end < 0 ? end : end - PAD;
    }

    private static long count(String line) {
        byte[] b = padded(line);
        return ReplyBytes.okCount(b, PAD, b.length - PAD);
    }

    private static int payloadStart(String line) {
        byte[] b = padded(line);
        int p = ReplyBytes.pushPayloadStart(b, PAD, b.length - PAD);
        return p < 0 ? p : p - PAD;
    }
}
