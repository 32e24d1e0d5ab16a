package io.dflockd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientConfigTest {

    @Test
    void defaultsMatchTheUpstreamClients() {
        ClientConfig c = ClientConfig.defaults();
        assertThat(c.servers()).hasSize(1);
        assertThat(Addresses.format(c.servers().get(0))).isEqualTo("127.0.0.1:6388");
        assertThat(c.renewRatio()).isEqualTo(0.5);
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.sslContext()).isNull();
        assertThat(c.authToken()).isNull();
        assertThat(c.toString()).contains("127.0.0.1:6388").doesNotContain("secret");
    }

    @Test
    void parsesHostPortStrings() {
        ClientConfig c = ClientConfig.builder().servers("db1:7000", "db2", "[::1]:6400", "[fe80::1]").build();
        assertThat(c.servers()).extracting(Addresses::format)
                .containsExactly("db1:7000", "db2:6388", "[::1]:6400", "[fe80::1]:6388");
        assertThat(c.servers().get(0).isUnresolved()).isTrue();
    }

    @Test
    void rejectsBadServers() {
        assertThatThrownBy(() -> ClientConfig.builder().servers(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one server");
        assertThatThrownBy(() -> ClientConfig.builder().servers(new String[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one server");
        assertThatThrownBy(() -> ClientConfig.builder().servers("host:0")).hasMessageContaining("port must be in 1..65535");
        assertThatThrownBy(() -> ClientConfig.builder().servers("host:99999")).hasMessageContaining("port");
        assertThatThrownBy(() -> ClientConfig.builder().servers("host:abc")).hasMessageContaining("invalid port");
        assertThatThrownBy(() -> ClientConfig.builder().servers(":6388")).hasMessageContaining("no host");
        assertThatThrownBy(() -> ClientConfig.builder().servers("::1:6388")).hasMessageContaining("IPv6");
        assertThatThrownBy(() -> ClientConfig.builder().servers("[::1")).hasMessageContaining("unterminated");
        assertThatThrownBy(() -> ClientConfig.builder().servers(" ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ClientConfig.builder().servers(java.util.Arrays.asList(
                new InetSocketAddress("a", 1), null))).hasMessageContaining("null");
    }

    @Test
    void renewRatioMustBeStrictlyBetweenZeroAndOne() {
        assertThat(ClientConfig.builder().renewRatio(0.25).build().renewRatio()).isEqualTo(0.25);
        for (double bad : new double[] {0, 1, -0.5, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> ClientConfig.builder().renewRatio(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("renew ratio");
        }
    }

    @Test
    void authTokenRules() {
        assertThat(ClientConfig.builder().authToken("s3cret").build().authToken()).isEqualTo("s3cret");
        assertThat(ClientConfig.builder().authToken(null).build().authToken()).isNull();
        assertThatThrownBy(() -> ClientConfig.builder().authToken("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ClientConfig.builder().authToken("  ")).hasMessageContaining("blank");
        assertThatThrownBy(() -> ClientConfig.builder().authToken("a\nb")).hasMessageContaining("CR, LF");
        assertThatThrownBy(() -> ClientConfig.builder().authToken("a\rb")).hasMessageContaining("CR, LF");
        assertThatThrownBy(() -> ClientConfig.builder().authToken("x".repeat(65_537))).hasMessageContaining("65536");
    }

    @Test
    void connectTimeoutMustBePositive() {
        assertThat(ClientConfig.builder().connectTimeout(Duration.ofMillis(250)).build().connectTimeout())
                .isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> ClientConfig.builder().connectTimeout(Duration.ZERO)).hasMessageContaining("positive");
        assertThatThrownBy(() -> ClientConfig.builder().connectTimeout(Duration.ofSeconds(-1))).hasMessageContaining("positive");
        assertThatThrownBy(() -> ClientConfig.builder().connectTimeout(Duration.ofDays(365))).hasMessageContaining("too large");
        assertThatThrownBy(() -> ClientConfig.builder().connectTimeout(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void defaultShardingFollowsTheProtocolVectors() {
        // PROTOCOL.md §14.2 worked examples
        assertThat(index("my-key", 3)).isEqualTo(2);
        assertThat(index("foo", 2)).isEqualTo(1);
        assertThat(index("order:42", 5)).isEqualTo(3);
        assertThat(index("worker-pool", 3)).isEqualTo(2);
        assertThat(index("ключ", 4)).isEqualTo(2);
    }

    private static int index(String key, int n) {
        String[] servers = new String[n];
        for (int i = 0; i < n; i++) {
            servers[i] = "h" + i + ":6388";
        }
        ClientConfig c = ClientConfig.builder().servers(servers).build();
        return c.servers().indexOf(c.serverFor(key));
    }

    @Test
    void customShardingStrategyIsUsedAndChecked() {
        ClientConfig last = ClientConfig.builder().servers("a:1", "b:2", "c:3")
                .shardingStrategy((key, n) -> n - 1).build();
        assertThat(Addresses.format(last.serverFor("anything"))).isEqualTo("c:3");

        ClientConfig broken = ClientConfig.builder().servers("a:1", "b:2").shardingStrategy((key, n) -> n).build();
        assertThatThrownBy(() -> broken.serverFor("k")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned index 2").hasMessageContaining("0..1");
        ClientConfig negative = ClientConfig.builder().shardingStrategy((key, n) -> -1).build();
        assertThatThrownBy(() -> negative.serverFor("k")).isInstanceOf(IllegalStateException.class);
        // the lock builder maps the key eagerly
        assertThatThrownBy(() -> DistributedLock.builder("k").config(broken).build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void toBuilderCopiesEverything() {
        ClientConfig a = ClientConfig.builder().servers("x:1", "y:2").renewRatio(0.3).authToken("t")
                .connectTimeout(Duration.ofSeconds(3)).build();
        ClientConfig b = a.toBuilder().build();
        assertThat(b.servers()).isEqualTo(a.servers());
        assertThat(b.renewRatio()).isEqualTo(0.3);
        assertThat(b.authToken()).isEqualTo("t");
        assertThat(b.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(b.shardingStrategy()).isSameAs(a.shardingStrategy());
    }
}
