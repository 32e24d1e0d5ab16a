package io.dflockd.cli;

import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dflockctl kv get|set|del}: the server's key-value entries (PROTOCOL.md §6.17). */
@Command(name = "kv", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        usageHelpWidth = 100,
        description = "Read, set and delete key-value entries.",
        subcommands = {KvCommand.Get.class, KvCommand.Set.class, KvCommand.Delete.class},
        footer = {"", "Examples:", "  dflockctl kv set config/mode blue --ttl 5m",
            "  mode=$(dflockctl kv get config/mode) || echo \"no mode set\"", "  dflockctl kv del config/mode",
            "", "Exit codes: 1 kv get found no entry (nothing is printed); 76 the server refused (its key",
            "limit); otherwise as for every command."})
final class KvCommand extends DataCommand {
    @Override
    String subcommands() {
        return "get, set or del";
    }

    /** {@code kv get KEY}: prints the value; exit 1 and no output when there is no entry. */
    @Command(name = "get", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Print the value of KEY; exit 1 without output when there is no entry.")
    static final class Get extends OnKey {
        @Override
        public Integer call() {
            Optional<String> value = onServerOfKey(d -> d.kget(key));
            return value.isPresent() ? print(value.get()) : ExitCodes.NOT_FOUND;
        }
    }

    /** {@code kv set KEY VALUE [--ttl DURATION]}. */
    @Command(name = "set", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Set KEY to VALUE, replacing any value and time to live.")
    static final class Set extends OnKey {
        @Parameters(index = "1", paramLabel = "VALUE", description = "One line without tabs (quote it if it has spaces)")
        String value;

        @Option(names = "--ttl", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Remove the entry after this long (e.g. 30s, 5m; whole seconds, rounded up). Default: never.")
        Duration ttl;

        @Override
        public Integer call() {
            onServerOfKey(d -> {
                d.kset(key, value, ttl);
                return null;
            });
            return ExitCodes.OK;
        }
    }

    /** {@code kv del KEY}. */
    @Command(name = "del", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Delete the entry of KEY (no error when there is none).")
    static final class Delete extends OnKey {
        @Override
        public Integer call() {
            onServerOfKey(d -> {
                d.kdel(key);
                return null;
            });
            return ExitCodes.OK;
        }
    }
}
