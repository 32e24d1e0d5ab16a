package io.dflockd.bench.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.protocol.FenceToken;
import io.dflockd.protocol.Request;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/** Prefix + field + suffix is byte for byte what the codec encodes, for every request kind the bench templates. */
class RequestTemplateTest {
    private static final List<String> KEYS = List.of("k", "bench/locks/42", "clé/ü/日本", "a b", "x".repeat(250));
    private static final List<BiFunction<String, String, Request>> KINDS = List.of(
            (key, t) -> new Request.Release(key, t, false),
            (key, t) -> new Request.Release(key, t, true),
            (key, t) -> new Request.Renew(key, t, 33, false),
            Request.Publish::new);

    @Test
    void templateBytesEqualTheCodecsForRandomFields() {
        Random rnd = new Random(13);
        for (BiFunction<String, String, Request> kind : KINDS) {
            for (String key : KEYS) {
                RequestTemplate template = RequestTemplate.of(field -> kind.apply(key, field));
                for (int i = 0; i < 200; i++) {
                    String field = i % 2 == 0 ? FenceToken.format(rnd.nextLong(), rnd.nextLong()) : randomAscii(rnd);
                    byte[] codec = kind.apply(key, field).encode(StandardCharsets.UTF_8);
                    assertThat(template.encode(field)).isEqualTo(codec);
                    assertThat(template.length(field.length())).isEqualTo(codec.length);
                }
            }
        }
    }

    @Test
    void writesInPlaceAtAnOffsetAndBackToBack() {
        RequestTemplate t = RequestTemplate.of(p -> new Request.Publish("events.x", p));
        byte[] buf = new byte[3 + 2 * t.length(19)];
        int end = t.writeTo(buf, 3, "1234567890123456789");
        end = t.writeTo(buf, end, "9876543210987654321");
        byte[] one = new Request.Publish("events.x", "1234567890123456789").encode(StandardCharsets.UTF_8);
        byte[] two = new Request.Publish("events.x", "9876543210987654321").encode(StandardCharsets.UTF_8);
        assertThat(end).isEqualTo(buf.length);
        assertThat(java.util.Arrays.copyOfRange(buf, 3, 3 + one.length)).isEqualTo(one);
        assertThat(java.util.Arrays.copyOfRange(buf, 3 + one.length, end)).isEqualTo(two);
    }

    @Test
    void refusesANonAsciiField() {
        RequestTemplate t = RequestTemplate.of(tok -> new Request.Release("k", tok, false));
        assertThatThrownBy(() -> t.encode("tøken")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesARequestWhereTheFieldIsNotFoundExactlyOnce() {
        assertThatThrownBy(() -> RequestTemplate.of(tok -> new Request.Release("k", "fixed", false)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequestTemplate.of(tok -> new Request.Release(tok, tok, false)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String randomAscii(Random rnd) {
        StringBuilder b = new StringBuilder();
        int n = rnd.nextInt(40);
        for (int i = 0; i < n; i++) {
            b.append((char) (0x20 + rnd.nextInt(0x5f)));
        }
        return b.toString();
    }
}
