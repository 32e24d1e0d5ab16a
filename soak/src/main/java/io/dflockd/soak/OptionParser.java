package io.dflockd.soak;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads flags and their values; every complaint is one line naming the flag. */
final class OptionParser {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)?");

    private final String[] args;
    private int i;

    OptionParser(String[] args) {
        this.args = args;
    }

    boolean hasNext() {
        return i < args.length;
    }

    String next() {
        return args[i++];
    }

    String value(String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i++];
    }

    long number(String flag) {
        String v = value(flag);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be an integer, got '" + v + "'");
        }
    }

    int count(String flag, int min) {
        long n = number(flag);
        if (n < min || n > 100_000) {
            throw new IllegalArgumentException(flag + " must be between " + min + " and 100000, got " + n);
        }
        return (int) n;
    }

    /** {@code 90}, {@code 90s}, {@code 500ms}, {@code 10m}, {@code 1h}. */
    Duration duration(String flag, boolean zeroAllowed) {
        String v = value(flag);
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException(flag + " must be a duration like 90s, 500ms or 10m, got '" + v + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero() && !zeroAllowed) {
            throw new IllegalArgumentException(flag + " must be greater than zero");
        }
        return d;
    }

    List<InetSocketAddress> addresses(String flag) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String hp : value(flag).split(",")) {
            int colon = hp.lastIndexOf(':');
            if (colon <= 0 || colon == hp.length() - 1) {
                throw new IllegalArgumentException(flag + " entries must be host:port, got '" + hp + "'");
            }
            int port;
            try {
                port = Integer.parseInt(hp.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException(flag + " has a bad port in '" + hp + "'");
            }
            out.add(new InetSocketAddress(hp.substring(0, colon), port));
        }
        return out;
    }
}
