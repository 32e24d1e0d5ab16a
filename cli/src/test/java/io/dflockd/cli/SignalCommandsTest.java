package io.dflockd.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dflockd.server.DflockdServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code dflockctl emit} and {@code listen} talking to each other through a real server. */
@Tag("integration") // real servers or processes: not in the quick loop (mvn test -Pquick)
class SignalCommandsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    @RegisterExtension
    static final CliServer cli = new CliServer();

    private Dflockctl.Running listen(String pattern, String... more) {
        List<String> args = new ArrayList<>(List.of(cli.servers(), "listen", pattern));
        args.addAll(List.of(more));
        Dflockctl.Running r = cli.start(args.toArray(String[]::new));
        await().atMost(WAIT).until(() -> TestServer.listeners(cli.server(), pattern) == 1 || !r.isAlive());
        assertThat(r.isAlive()).as(r.stderr()).isTrue();
        return r;
    }

    @Test
    void emitReachesListenAndPrintsTheDeliveryCount() {
        String prefix = TestServer.key("ev");
        Dflockctl.Running listener = listen(prefix + ".*", "--count", "2");
        Dflockctl.Result first = Dflockctl.run(cli.servers(), "emit", prefix + ".a", "hello world");
        assertThat(first.exitCode()).as(first.stderr()).isZero();
        assertThat(first.stdout()).isEqualTo("1\n");
        assertThat(Dflockctl.run(cli.servers(), "emit", prefix + ".b", "second").stdout()).isEqualTo("1\n");
        Dflockctl.Result heard = listener.awaitExit();
        assertThat(heard.exitCode()).as(heard.stderr()).isZero();
        assertThat(heard.stdout()).isEqualTo(prefix + ".a hello world\n" + prefix + ".b second\n");
    }

    @Test
    void jsonListenWithAGroupPrintsOneObjectPerLine() throws Exception {
        String channel = TestServer.key("job") + ".new";
        Dflockctl.Running listener = listen(channel, "--group", "workers", "--json", "--count", "1");
        assertThat(Dflockctl.run(cli.servers(), "emit", channel, "payload with \"quotes\"").stdout()).isEqualTo("1\n");
        Dflockctl.Result heard = listener.awaitExit();
        assertThat(heard.exitCode()).as(heard.stderr()).isZero();
        JsonNode line = new ObjectMapper().readTree(heard.stdout().strip());
        assertThat(line.get("channel").asText()).isEqualTo(channel);
        assertThat(line.get("payload").asText()).isEqualTo("payload with \"quotes\"");
    }

    @Test
    void emitWithoutListenersDeliversToNobody() {
        Dflockctl.Result r = Dflockctl.run(cli.servers(), "emit", TestServer.key("nobody") + ".x", "ping");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("0\n");
    }

    @Test
    void anInvalidChannelIsAUsageError() {
        Dflockctl.Result r = Dflockctl.run(cli.servers(), "emit", "bad.*", "x");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.stderrLines()).singleElement().asString().startsWith("dflockctl: ");
    }

    @Test
    void listenEndsWith69WhenTheServerGoesAway() {
        DflockdServer own = TestServer.start();
        String pattern = TestServer.key("gone") + ".>";
        Dflockctl.Running r = cli.start("--servers=" + TestServer.address(own), "listen", pattern);
        try {
            await().atMost(WAIT).until(() -> TestServer.listeners(own, pattern) == 1 || !r.isAlive());
        } finally {
            own.close();
        }
        Dflockctl.Result result = r.awaitExit();
        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(result.stderrLines()).singleElement().asString().contains("connection closed");
    }
}
