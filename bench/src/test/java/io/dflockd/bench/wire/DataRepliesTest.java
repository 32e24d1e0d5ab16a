package io.dflockd.bench.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The data replies are read strictly: the shapes both servers send, and nothing near them. */
class DataRepliesTest {

    @Test
    void numbersAreSignedLongs() {
        assertThat(DataReplies.number("ok 0")).isZero();
        assertThat(DataReplies.number("ok 42")).isEqualTo(42);
        assertThat(DataReplies.number("ok -7")).isEqualTo(-7);
        assertThat(DataReplies.number("ok 9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(DataReplies.number("ok -9223372036854775808")).isEqualTo(Long.MIN_VALUE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ok", "ok ", "ok -", "ok +1", "ok 1 2", "ok 1.5", "ok 0x10", "ok 9223372036854775808",
        "ok -9223372036854775809", "ok 00000000000000000001", "ok 007", "ok -0", "ok -01", "nil", "error", "error_max_keys", "ok  1", "OK 1"})
    void anythingElseIsNoNumber(String line) {
        assertThatThrownBy(() -> DataReplies.number(line)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got '" + line + "'");
    }

    @Test
    void countsAreNotNegative() {
        assertThat(DataReplies.count("ok 3")).isEqualTo(3);
        assertThatThrownBy(() -> DataReplies.count("ok -1")).hasMessage("expected 'ok <count>', got 'ok -1'");
    }

    @Test
    void valuesAreTheRestOfTheLineAsSent() {
        assertThat(DataReplies.valueOrNil("ok v1")).isEqualTo("v1");
        assertThat(DataReplies.valueOrNil("ok 42")).isEqualTo("42");
        assertThat(DataReplies.valueOrNil("ok a b  c ")).isEqualTo("a b  c ");
        assertThat(DataReplies.valueOrNil("ok  lead")).isEqualTo(" lead");
        assertThat(DataReplies.valueOrNil("nil")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ok", "ok ", "nil x", "NIL", "timeout", "error", "cas_conflict", "okv"})
    void anythingElseIsNoValue(String line) {
        assertThatThrownBy(() -> DataReplies.valueOrNil(line)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected 'ok <value> or nil', got '" + line + "'");
    }
}
