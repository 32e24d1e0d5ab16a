package io.dflockd.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArgsTest {
    @Test
    void splitsOnRunsOfWhitespace() throws Exception {
        assertThat(Args.fields("  10 \t 3  ", 1, 3)).containsExactly("10", "3");
        assertThat(Args.fields("", 0, 1)).isEmpty();
    }

    @Test
    void countsFieldsExactly() {
        assertThatThrownBy(() -> Args.fields("1 2 3", 1, 2)).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENTS));
        assertThatThrownBy(() -> Args.fields(" ", 1, 2)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void parsesGoStyleIntegers() throws Exception {
        assertThat(Args.parseLong("+5")).isEqualTo(5);
        assertThat(Args.parseLong("-5")).isEqualTo(-5);
        assertThatThrownBy(() -> Args.parseLong("5s")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Args.parseLong("99999999999999999999")).isInstanceOf(ProtocolException.class);
    }

    @Test
    void enforcesRanges() throws Exception {
        assertThat(Args.timeout("0")).isZero();
        assertThat(Args.timeout("9223372036")).isEqualTo(9_223_372_036L);
        assertCode(() -> Args.timeout("-1"), ErrorCode.BAD_TIMEOUT);
        assertCode(() -> Args.timeout("9223372037"), ErrorCode.BAD_TIMEOUT);
        assertCode(() -> Args.leaseTtl("0"), ErrorCode.BAD_LEASE);
        assertCode(() -> Args.limit("0"), ErrorCode.BAD_LIMIT);
        assertCode(() -> Args.limit("x"), ErrorCode.NOT_AN_INTEGER);
    }

    @Test
    void keyRulesForbidExactlyFourCharacters() throws Exception {
        Keys.checkWireKey("a\u0000b\u00a0");
        for (String bad : new String[] {"", "a b", "a\tb", "a\rb", "a\nb"}) {
            assertCode(() -> Keys.checkWireKey(bad), ErrorCode.BAD_KEY);
        }
        // the client refuses exactly what the server refuses (plus the byte cap): NUL is a key byte
        assertThat(Keys.requireValid("a\u0000b\u00a0", "key")).isEqualTo("a\u0000b\u00a0");
        for (String bad : new String[] {"", "a b", "a\tb", "a\rb", "a\nb"}) {
            assertThatThrownBy(() -> Keys.requireValid(bad, "key")).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Keys.requireValid("x".repeat(257), "key")).hasMessageContaining("257");
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertCode(Call call, ErrorCode code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.code()).isEqualTo(code));
    }
}
