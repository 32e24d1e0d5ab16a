package io.dflockd.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dflockd.client.ClientConfig;
import io.dflockd.client.Signal;
import io.dflockd.client.SignalConn;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code dflockctl listen PATTERN… [--group G] [--json]}: print signals as they arrive. */
@Command(name = "listen", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpWidth = 100,
        description = {"Subscribe to PATTERN(s) and print one line per signal, '<channel> <payload>', until",
            "interrupted. Patterns are NATS-style: '*' matches one token, '>' the rest."},
        footer = {"", "Examples:", "  dflockctl listen 'deploy.>'",
            "  dflockctl listen jobs.new --group workers --json",
            "", "Exit codes: 0 after --count signals; 69 when the connection is lost; 130 on Ctrl-C."})
final class ListenCommand implements Callable<Integer> {
    private static final JsonFactory JSON = new JsonFactory();

    @ParentCommand
    Main root;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATTERN", description = "Channel or wildcard pattern")
    List<String> patterns;

    @Option(names = "--group", paramLabel = "G",
            description = "Join queue group G: each signal goes to one member of the group")
    String group;

    @Option(names = "--json", description = "One JSON object per line: {\"channel\":…,\"payload\":…}")
    boolean json;

    @Option(names = "--count", paramLabel = "N", description = "Exit after N signals (default: never)")
    long count;

    @Override
    public Integer call() {
        if (count < 0) {
            throw new CliException(ExitCodes.USAGE, "--count must not be negative, got " + count);
        }
        ClientConfig config = root.clientConfig();
        PrintWriter out = spec.commandLine().getOut();
        try (SignalConn conn = SignalConn.builder().config(config).connect()) {
            for (String p : patterns) {
                conn.listen(p, group);
            }
            long seen = 0;
            for (Signal s : conn) {
                out.println(json ? toJson(s) : s.channel() + " " + s.payload());
                out.flush(); // one line per signal, visible at once even through a pipe
                if (count > 0 && ++seen >= count) {
                    return ExitCodes.OK;
                }
            }
            throw new CliException(ExitCodes.UNAVAILABLE, ServerNames.format(conn.server())
                    + ": connection closed; no more signals");
        }
    }

    private static String toJson(Signal s) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("channel", s.channel());
            g.writeStringField("payload", s.payload());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }
}
