package io.dflockd.cli;

import io.dflockd.client.ClientConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code dflockctl}: the command-line client of dflockd. Subcommands run a command while holding a
 * lock, one side of a read-write lock or a semaphore slot or while leading an election, show server stats, emit and listen to signals, read and
 * change key-value entries and counters, and ping servers. Every
 * failure is one line on stderr and a documented exit code ({@link ExitCodes}).
 */
@Command(name = "dflockctl", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false, usageHelpWidth = 100,
        description = "Command-line client for dflockd: distributed FIFO locks, read-write locks, semaphores, leader"
                + " election, signals, counters and key-value entries.",
        subcommands = {LockCommand.class, RwLockCommand.class, SemCommand.class, ElectCommand.class, StatsCommand.class, EmitCommand.class,
            ListenCommand.class, PingCommand.class, KvCommand.class, CounterCommand.class, ClusterCommand.class},
        footer = {"", "Connection options may be given before or after the subcommand; each falls back to the",
            "environment variable in brackets. Precedence: flag > environment > default.",
            "", "Exit codes: 0 ok; 1 kv get found no entry; 2 usage; 69 server unreachable/connection lost;",
            "75 not acquired in time; 76 server refused; 77 auth rejected; 78 unusable local file; 79 lease or",
            "leadership lost (command terminated); 126/127 command not executable/not found; otherwise the",
            "command's own exit status."})
public final class Main implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    private Map<String, String> env = Map.of();

    /** Entry point; never returns normally (exits with the command's code). */
    public static void main(String[] args) {
        silenceLibraryLogging();
        int code;
        try {
            code = run(args, System.getenv());
        } catch (RuntimeException | Error e) { // a defect in building the command line: still one line
            code = Errors.report(new PrintWriter(System.err, true), e);
        }
        System.exit(code);
    }

    /** Parses and runs; returns the exit code. Output goes to the JVM's stdout and stderr. */
    static int run(String[] args, Map<String, String> env) {
        return commandLine(env).execute(args);
    }

    static CommandLine commandLine(Map<String, String> env) {
        Main main = new Main();
        main.env = env;
        CommandLine cl = new CommandLine(main);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler((e, commandLine, parsed) -> Errors.report(commandLine.getErr(), e));
        return cl;
    }

    /** A parse error: one line naming the problem and where to look, exit 2. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine failed = e.getCommandLine();
        PrintWriter err = failed.getErr();
        String hint = "try '" + failed.getCommandSpec().qualifiedName() + " --help'";
        String message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException) {
            CommandLine.UnmatchedArgumentException unmatched = (CommandLine.UnmatchedArgumentException) e;
            if (failed.getCommand() instanceof RunsCommand) {
                hint = "put -- before the command to run, e.g. "
                        + failed.getCommandSpec().qualifiedName() + " KEY -- sh -c '...'";
            } else if (failed.getCommand() instanceof Main && !unmatched.getUnmatched().get(0).startsWith("-")) {
                // picocli's "Unmatched argument at index 0" does not tell the user it took a command name.
                message = unknownCommand(unmatched);
                hint += " for the list of commands";
            }
        }
        err.println(Errors.PREFIX + Errors.oneLine(message) + " (" + hint + ")");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** {@code unknown command 'lok'; did you mean 'lock'?} with picocli's suggestions, if it has any. */
    private static String unknownCommand(CommandLine.UnmatchedArgumentException e) {
        String message = "unknown command '" + e.getUnmatched().get(0) + "'";
        List<String> suggestions = e.getSuggestions();
        if (!suggestions.isEmpty()) {
            message += "; did you mean '" + String.join("' or '", suggestions) + "'?";
        }
        return message;
    }

    /**
     * The client library reports lease loss and other events through {@code System.Logger}, which
     * ends up in java.util.logging and would print multi-line records with stack traces. dflockctl
     * reports those events itself, in one line each.
     */
    static void silenceLibraryLogging() {
        LogManager.getLogManager().reset();
        Logger.getLogger("").setLevel(Level.OFF);
    }

    /** No subcommand given. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a subcommand is required: lock, rwlock, sem, stats, emit, listen, ping or cluster");
    }

    /** The client configuration from the connection options and the environment. */
    ClientConfig clientConfig() {
        return connection.toClientConfig(env);
    }

    /** The environment the options fall back to. */
    Map<String, String> env() {
        return env;
    }

    /** Marks subcommands whose trailing arguments are a command to run, for a better usage hint. */
    interface RunsCommand {
    }

    /** {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            // A resource the build fills in, so the version shows on the test class path and in IDEs
            // too, where there is no jar manifest.
            try (InputStream in = Main.class.getResourceAsStream("version.txt")) {
                if (in == null) {
                    throw new IOException("version.txt is missing from the class path; build with Maven");
                }
                String version = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
                return new String[] {"dflockctl (dflockd for Java) " + version};
            }
        }
    }
}
