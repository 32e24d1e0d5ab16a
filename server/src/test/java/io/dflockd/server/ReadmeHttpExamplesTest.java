package io.dflockd.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.testing.FreePort;
import io.dflockd.testing.ReadmeExamples;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs README.md's {@code ```sh http-api} blocks with bash and the real {@code /usr/bin/curl}
 * against a real server started with the block's own {@code bin/dflockd} flags (parsed by the
 * launcher's parser; only the ports differ). Every command's output must be what its {@code # →}
 * comment says ({@code …} matches anything), and a command without one must print nothing.
 */
@Tag("integration")
class ReadmeHttpExamplesTest {
    private static final String FENCE = "sh http-api";
    private static final String README_HTTP_PORT = "6389";
    private static final String EXPECT = "# → ";
    private static final String MARK = "@@readme-command ";

    /** One command of a block: its first line's number in the block, and what it must print. */
    private record Command(int line, String source, String expected) {
    }

    @Test
    void theReadmesCurlExamplesRunAgainstARealServer(@TempDir Path dir) throws Exception {
        assertThat(Path.of("/usr/bin/curl")).as("curl is installed (.ci/run installs it)").isExecutable();
        List<String> blocks = ReadmeExamples.blocks(FENCE);
        assertThat(blocks).as("README blocks fenced %s", FENCE).hasSizeGreaterThanOrEqualTo(3);
        int n = 0;
        for (String block : blocks) {
            run(++n, block, Files.createDirectories(dir.resolve("block" + n)));
        }
    }

    private static void run(int n, String block, Path dir) throws Exception {
        List<String> lines = new ArrayList<>(block.lines().toList());
        String launch = lines.remove(0);
        assertThat(launch).as("block %d starts the server", n).startsWith("bin/dflockd ").endsWith(" &");
        int httpPort = FreePort.pick();
        List<String> args = new ArrayList<>(Arrays.asList(
                launch.substring("bin/dflockd ".length(), launch.length() - 2).trim().split(" +")));
        int at = args.indexOf("--http-port");
        assertThat(at).as("block %d: %s", n, launch).isNotNegative();
        assertThat(args.get(at + 1)).isEqualTo(README_HTTP_PORT);
        args.set(at + 1, Integer.toString(httpPort));
        args.addAll(List.of("--host", "127.0.0.1", "--port", "0"));
        int tokenFile = args.indexOf("--auth-token-file");
        if (tokenFile >= 0) {
            // the block reads it relative to its directory; the server gets its absolute path
            Path token = dir.resolve(args.get(tokenFile + 1));
            Files.writeString(token, "s3cret-readme\n");
            args.set(tokenFile + 1, token.toString());
        }
        List<Command> commands = commands(lines);
        StringBuilder script = new StringBuilder("set -euo pipefail\n");
        for (int i = 0; i < commands.size(); i++) {
            script.append("echo '").append(MARK).append(i).append("'\n")
                    .append(commands.get(i).source().replace(README_HTTP_PORT, Integer.toString(httpPort))).append('\n');
        }
        ServerConfig config = Main.parseConfig(args.toArray(String[]::new), Map.of());
        try (DflockdServer server = DflockdServer.start(config)) {
            assertThat(server.httpPort()).isEqualTo(httpPort);
            Path file = dir.resolve("block.sh");
            Files.writeString(file, script);
            Process bash = new ProcessBuilder("bash", file.toString()).directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("stderr").toFile())).start();
            String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String err = Files.readString(dir.resolve("stderr"));
            assertThat(bash.exitValue()).as("block %d exit code; stderr: %s; stdout: %s", n, err, out).isZero();
            String[] parts = out.split("(?m)^" + Pattern.quote(MARK), -1);
            assertThat(parts).as("block %d output: %s", n, out).hasSize(commands.size() + 1);
            for (int i = 0; i < commands.size(); i++) {
                Command c = commands.get(i);
                String printed = parts[i + 1].substring(parts[i + 1].indexOf('\n') + 1).strip();
                if (c.expected() == null) {
                    assertThat(printed).as("block %d line %d prints nothing: %s", n, c.line(), c.source()).isEmpty();
                } else {
                    assertThat(printed).as("block %d line %d: %s", n, c.line(), c.source())
                            .matches(glob(c.expected()));
                }
            }
        }
    }

    /**
     * Splits a block into commands: each non-blank, non-comment line (and the lines its trailing
     * backslashes continue onto), with the expectation of its trailing {@code # →} comment or of the
     * {@code # →} comment lines just after it.
     */
    private static List<Command> commands(List<String> lines) {
        List<Command> commands = new ArrayList<>();
        StringBuilder source = null;
        String expected = null;
        int first = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (trimmed.startsWith(EXPECT) && source != null && source.length() > 0) {
                expected = (expected == null ? "" : expected + "\n") + trimmed.substring(EXPECT.length());
                continue;
            }
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            boolean continuation = source != null && source.toString().endsWith("\\");
            if (!continuation) {
                if (source != null) {
                    commands.add(new Command(first, source.toString(), expected));
                }
                source = new StringBuilder();
                expected = null;
                first = i + 2; // 1-based, after the launch line
            } else {
                source.append('\n');
            }
            int comment = line.indexOf(" " + EXPECT);
            if (comment >= 0) {
                expected = line.substring(comment + 1 + EXPECT.length()).strip();
                line = line.substring(0, comment).stripTrailing();
            }
            source.append(line);
        }
        if (source != null) {
            commands.add(new Command(first, source.toString(), expected));
        }
        return commands;
    }

    /** The expectation as a regex: literal text, {@code …} = anything. */
    private static String glob(String expected) {
        StringBuilder re = new StringBuilder("(?s)");
        String[] literal = expected.split("…", -1);
        for (int i = 0; i < literal.length; i++) {
            re.append(i > 0 ? ".*" : "").append(Pattern.quote(literal[i]));
        }
        return re.toString();
    }
}
