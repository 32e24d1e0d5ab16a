package io.dflockd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.protocol.Status;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The replies of the data commands, read without a server (PROTOCOL.md §6.16-6.20). */
class DataRepliesTest {
    private static final InetSocketAddress S = InetSocketAddress.createUnresolved("127.0.0.1", 6388);

    @Test
    void readsSignedNumbersValuesWithSpacesAndNil() {
        assertThat(DataReplies.number("ok -5", S, "incr k")).isEqualTo(-5);
        assertThat(DataReplies.number("ok " + Long.MIN_VALUE, S, "get k")).isEqualTo(Long.MIN_VALUE);
        assertThat(DataReplies.value("ok hello  world ", S, "kget k")).contains("hello  world ");
        assertThat(DataReplies.value("ok {\"not\": \"json to us\"}", S, "kget k")).contains("{\"not\": \"json to us\"}");
        assertThat(DataReplies.value("nil", S, "lpop k")).isEqualTo(Optional.empty());
    }

    @Test
    void readsAnLrangeArrayWithEscapes() {
        assertThat(DataReplies.items("ok []", S, "lrange k")).isEmpty();
        assertThat(DataReplies.items("ok [\"a b\",\"q\\\"\\\\é\",\"\\t\"]", S, "lrange k"))
                .isEqualTo(List.of("a b", "q\"\\é", "\t"));
    }

    @Test
    void okOrTheExpectedNoIsABoolean() {
        assertThat(DataReplies.okOr(Status.CAS_CONFLICT, "ok", S, "kcas k")).isTrue();
        assertThat(DataReplies.okOr(Status.CAS_CONFLICT, "cas_conflict", S, "kcas k")).isFalse();
        assertThat(DataReplies.okOr(Status.TIMEOUT, "timeout", S, "bwait k")).isFalse();
    }

    @Test
    void eachDataErrorStatusBecomesItsException() {
        Map<String, Class<? extends DflockdException>> expected = Map.of(
                "error_max_keys", MaxKeysException.class,
                "error_list_full", ListFullException.class,
                "error_barrier_count_mismatch", BarrierCountMismatchException.class,
                "error", ServerErrorException.class);
        expected.forEach((line, type) -> {
            assertThatThrownBy(() -> DataReplies.number(line, S, "rpush k")).isInstanceOf(type)
                    .hasMessageContaining("rpush k");
            assertThatThrownBy(() -> DataReplies.okOr(Status.TIMEOUT, line, S, "bwait k")).isInstanceOf(type);
        });
    }

    @Test
    void wrongShapesAreProtocolViolations() {
        assertThatThrownBy(() -> DataReplies.number("ok 12x", S, "incr k")).isInstanceOf(ProtocolViolationException.class);
        assertThatThrownBy(() -> DataReplies.number("ok", S, "incr k")).isInstanceOf(ProtocolViolationException.class);
        assertThatThrownBy(() -> DataReplies.value("ok", S, "kget k")).isInstanceOf(ProtocolViolationException.class);
        assertThatThrownBy(() -> DataReplies.value("cas_conflict", S, "kget k"))
                .isInstanceOf(ProtocolViolationException.class);
        assertThatThrownBy(() -> DataReplies.items("ok [1]", S, "lrange k")).isInstanceOf(ProtocolViolationException.class);
        assertThatThrownBy(() -> DataReplies.items("ok {}", S, "lrange k")).isInstanceOf(ProtocolViolationException.class);
        assertThatThrownBy(() -> DataReplies.okOr(Status.CAS_CONFLICT, "ok 1", S, "kcas k"))
                .isInstanceOf(ProtocolViolationException.class);
    }
}
