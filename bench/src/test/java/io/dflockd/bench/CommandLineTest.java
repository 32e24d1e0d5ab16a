package io.dflockd.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.bench.cli.BenchCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input: a one-line message naming the problem and a non-zero exit, never a stack trace. */
class CommandLineTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "locks --workers 0|--workers must be at least 1",
        "locks --workrs 3|Unknown option",
        "ping --servers nohostport|--servers: expected HOST:PORT",
        "ping --port 70000|port must be 1-65535",
        "fanout --window 4|needs --raw",
        "nosuchworkload|Unmatched argument",
        "|missing workload",
        "locks --server-pid 0|--server-pid must be at least 1",
        "rwlock --read-fraction 1.5|--read-fraction must be between 0.0 and 1.0, got 1.5",
        "rwlock -f -0.1|--read-fraction must be between 0.0 and 1.0, got -0.1",
        "rwlock -f NaN|--read-fraction must be between 0.0 and 1.0, got NaN",
        "ping --cluster a:1,b:2 --raw|--cluster: not with --raw (raw sockets do not follow a cluster's redirects)",
        "ping --cluster a:1 --servers b:2|--cluster: not with --servers",
        "ping --cluster a:notaport|--cluster: invalid port in server address: a:notaport",
        "data --raw|Missing required option: '--op=incr",
        "data --op nosuch --raw|--op must be one of incr, kv, queue, got nosuch",
        "data --op incr|data needs --raw (the library client has no data commands here)",
        "data --op kv --raw -c 0|--connections must be at least 1, got 0",
        "data --op incr --raw -r 0|--rounds must be at least 1, got 0",
        "data --op queue --raw -w 1|--workers must be at least 2, got 1",
        "data --op queue --raw -w 3|--op queue needs an even --workers (half push, half pop), got 3",
        "data --op queue --raw --pop-timeout 0|--pop-timeout must be at least 1, got 0",
    })
    void badInputGivesOneLineAndExitTwo(String args, String message) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] argv = args == null ? new String[0] : args.split(" ");
        int rc = BenchCli.execute(argv, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8).trim();
        assertThat(rc).isEqualTo(2);
        assertThat(text).startsWith("dflockd-bench: ").contains(message).doesNotContain("\n");
    }

    @ParameterizedTest
    @CsvSource({"ping -w 1 -r 1 --port 1"})
    void unreachableServerExitsOne(String args) throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = BenchCli.execute(args.split(" "), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(rc).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).trim()).contains("connection refused").doesNotContain("\n");
    }
}
