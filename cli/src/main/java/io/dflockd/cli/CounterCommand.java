package io.dflockd.cli;

import io.dflockd.client.DataCommands;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code dflockctl counter get|incr|decr|set}: the server's 64-bit counters (PROTOCOL.md §6.16). */
@Command(name = "counter", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        usageHelpWidth = 100,
        description = "Read and change 64-bit counters; every command prints the counter's value after it.",
        subcommands = {CounterCommand.Get.class, CounterCommand.Increment.class, CounterCommand.Decrement.class,
            CounterCommand.Set.class},
        footer = {"", "Examples:", "  dflockctl counter incr deploys", "  dflockctl counter decr stock/42 3",
            "  dflockctl counter set stock/42 100",
            "", "Exit codes: 76 the server refused (a change that would overflow, its key limit); otherwise as",
            "for every command."})
final class CounterCommand extends DataCommand {
    @Override
    String subcommands() {
        return "get, incr, decr or set";
    }

    /** A counter subcommand: one command, then the counter's value printed. */
    abstract static class Change extends OnKey {
        /** The command; returns the counter's value after it. */
        abstract long apply(DataCommands d);

        @Override
        public Integer call() {
            return print(onServerOfKey(this::apply));
        }
    }

    /** {@code counter get KEY}: 0 when the counter does not exist. */
    @Command(name = "get", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Print the counter's value (0 when it does not exist).")
    static final class Get extends Change {
        @Override
        long apply(DataCommands d) {
            return d.get(key);
        }
    }

    /** {@code counter incr KEY [DELTA]}. */
    @Command(name = "incr", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Add DELTA (default 1) and print the new value.")
    static final class Increment extends Change {
        @Parameters(index = "1", arity = "0..1", paramLabel = "DELTA", defaultValue = "1", description = "Default: 1")
        long delta;

        @Override
        long apply(DataCommands d) {
            return d.incr(key, delta);
        }
    }

    /** {@code counter decr KEY [DELTA]}. */
    @Command(name = "decr", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Subtract DELTA (default 1) and print the new value.")
    static final class Decrement extends Change {
        @Parameters(index = "1", arity = "0..1", paramLabel = "DELTA", defaultValue = "1", description = "Default: 1")
        long delta;

        @Override
        long apply(DataCommands d) {
            return d.decr(key, delta);
        }
    }

    /** {@code counter set KEY VALUE}. */
    @Command(name = "set", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Set the counter to VALUE and print it.")
    static final class Set extends Change {
        @Parameters(index = "1", paramLabel = "VALUE", description = "A 64-bit signed integer")
        long value;

        @Override
        long apply(DataCommands d) {
            d.cset(key, value);
            return value;
        }
    }
}
