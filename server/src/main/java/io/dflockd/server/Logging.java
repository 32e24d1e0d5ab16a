package io.dflockd.server;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One-line log output on stderr through java.util.logging, which backs {@link System.Logger}. */
final class Logging {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    /*
     * java.util.logging holds loggers weakly: a level set on one nobody references is lost when it
     * is collected, so configure() keeps them here. Not static finals of this class: creating a
     * logger starts the LogManager, which must wait until installManager() has named ours.
     */
    private static final List<Logger> CONFIGURED = new ArrayList<>();

    private Logging() {
    }

    /**
     * Must run before the first logger is created: keeps JUL's own shutdown hook from silencing the
     * log while the server drains on SIGTERM.
     */
    static void installManager() {
        System.setProperty("java.util.logging.manager", DrainFriendlyLogManager.class.getName());
    }

    static void configure(boolean debug) {
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setLevel(Level.ALL);
        console.setFormatter(new OneLine());
        root.addHandler(console);
        root.setLevel(Level.INFO);
        Logger.getLogger("io.dflockd").setLevel(debug ? Level.FINE : Level.INFO);
        level("io.netty", debug ? Level.INFO : Level.WARNING);
        // Apache Ratis (cluster mode) logs through SLF4J, routed here by slf4j-jdk14. It narrates
        // every election and segment roll at INFO; the node logs leader changes itself.
        level("org.apache.ratis", debug ? Level.INFO : Level.WARNING);
        // It logs every retry of a proposal as SEVERE, elections included; the node retries until it lands.
        level("org.apache.ratis.client.impl.OrderedAsync", debug ? Level.INFO : Level.OFF);
    }

    private static void level(String name, Level level) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(level);
        synchronized (CONFIGURED) {
            CONFIGURED.add(logger);
        }
    }

    /** A LogManager whose reset at JVM exit is a no-op, so shutdown-hook logging still appears. */
    public static final class DrainFriendlyLogManager extends LogManager {
        @Override
        public void reset() {
            // Deliberately empty: see installManager().
        }
    }

    private static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder b = new StringBuilder(128)
                    .append(LocalDateTime.now().format(TIME)).append(' ')
                    .append(r.getLevel().getName()).append(' ')
                    .append(shortName(r.getLoggerName())).append(": ")
                    .append(formatMessage(r)).append(System.lineSeparator());
            if (r.getThrown() != null && Logger.getLogger("io.dflockd").isLoggable(Level.FINE)) {
                b.append(r.getThrown()).append(System.lineSeparator());
            } else if (r.getThrown() != null) {
                b.setLength(b.length() - System.lineSeparator().length());
                b.append(" (").append(r.getThrown()).append(')').append(System.lineSeparator());
            }
            return b.toString();
        }

        private static String shortName(String name) {
            if (name == null) {
                return "";
            }
            int dot = name.lastIndexOf('.');
            return dot < 0 ? name : name.substring(dot + 1);
        }
    }
}
