package io.dflockd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.client.DflockdConnection;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code dflockctl kv} and {@code counter} as real processes against an embedded server. */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class DataCommandsTest {
    @RegisterExtension
    static final CliServer cli = new CliServer();

    @Test
    void kvSetGetAndDelete() {
        String key = TestServer.key("kv");
        Dflockctl.Result set = Dflockctl.run(cli.servers(), "kv", "set", key, "hello world", "--ttl", "5m");
        assertThat(set.exitCode()).as(set.stderr()).isZero();
        assertThat(set.stdout()).isEmpty();
        Dflockctl.Result get = Dflockctl.run(cli.servers(), "kv", "get", key);
        assertThat(get.exitCode()).as(get.stderr()).isZero();
        assertThat(get.stdout()).isEqualTo("hello world\n");
        assertThat(Dflockctl.run(cli.servers(), "kv", "del", key).exitCode()).isZero();
        try (DflockdConnection c = DflockdConnection.open(TestServer.config(cli.server()))) {
            assertThat(c.data().kget(key)).isEmpty();
        }
    }

    @Test
    void kvGetOfNoEntryExits1WithoutOutput() {
        Dflockctl.Result r = Dflockctl.run(cli.servers(), "kv", "get", TestServer.key("kv-none"));
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void kvSetOfAValueWithATabIsAUsageErrorOnOneLine() {
        Dflockctl.Result r = Dflockctl.run(cli.servers(), "kv", "set", TestServer.key("kv-tab"), "a\tb");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderrLines()).singleElement().asString().isEqualTo("dflockctl: value must not contain a tab");
    }

    @Test
    void kvWithoutASubcommandIsAUsageError() {
        Dflockctl.Result r = Dflockctl.run(cli.servers(), "kv");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderr()).contains("a subcommand is required: get, set or del");
    }

    @Test
    void countersPrintTheValueAfterEachCommand() {
        String key = TestServer.key("ctr");
        assertThat(Dflockctl.run(cli.servers(), "counter", "get", key).stdout()).isEqualTo("0\n");
        assertThat(Dflockctl.run(cli.servers(), "counter", "incr", key).stdout()).isEqualTo("1\n");
        assertThat(Dflockctl.run(cli.servers(), "counter", "incr", key, "10").stdout()).isEqualTo("11\n");
        assertThat(Dflockctl.run(cli.servers(), "counter", "decr", key, "20").stdout()).isEqualTo("-9\n");
        Dflockctl.Result set = Dflockctl.run(cli.servers(), "counter", "set", key, "42");
        assertThat(set.exitCode()).as(set.stderr()).isZero();
        assertThat(set.stdout()).isEqualTo("42\n");
        try (DflockdConnection c = DflockdConnection.open(TestServer.config(cli.server()))) {
            assertThat(c.data().get(key)).isEqualTo(42);
        }
    }

    @Test
    void aCounterOverflowExits76OnOneLine() {
        String key = TestServer.key("ctr-max");
        try (DflockdConnection c = DflockdConnection.open(TestServer.config(cli.server()))) {
            c.data().cset(key, Long.MAX_VALUE);
        }
        Dflockctl.Result r = Dflockctl.run(cli.servers(), "counter", "incr", key);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.SERVER_ERROR);
        assertThat(r.stderrLines()).singleElement().asString().startsWith("dflockctl: ").contains("incr " + key);
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void anUnreachableServerExits69() {
        Dflockctl.Result r = Dflockctl.run("--servers=127.0.0.1:1", "--connect-timeout=2s", "kv", "get", "k");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.stderrLines()).hasSize(1);
    }
}
