package io.dflockd.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ShardingTest {
    /** Worked examples of PROTOCOL.md §14.2, computed upstream with Python's zlib.crc32. */
    @ParameterizedTest
    @CsvSource({
        "my-key, 3605215937, 3, 2",
        "foo, 2356372769, 2, 1",
        "order:42, 1319023403, 5, 3",
        "worker-pool, 3880168568, 3, 2",
        "ключ, 212833818, 4, 2",
    })
    void matchesUpstreamVectors(String key, long crc, int servers, int index) {
        assertThat(Sharding.crc32(key)).isEqualTo(crc);
        assertThat(Sharding.crc32Index(key, servers)).isEqualTo(index);
    }

    @Test
    void rejectsEmptyServerList() {
        assertThatThrownBy(() -> Sharding.crc32Index("k", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
