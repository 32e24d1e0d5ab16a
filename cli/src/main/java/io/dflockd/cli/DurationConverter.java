package io.dflockd.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Parses durations the way operators type them: {@code 10s}, {@code 500ms}, {@code 2m},
 * {@code 1h}, Go-style sums such as {@code 1m30s}, fractions such as {@code 1.5s}, and plain numbers
 * meaning seconds. Negative values are rejected; whether zero is allowed is up to each option.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern PLAIN_SECONDS = Pattern.compile("\\d+(\\.\\d+)?");
    private static final Pattern TERM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a message fit for the user when {@code text} is not a duration
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.strip();
        if (PLAIN_SECONDS.matcher(t).matches()) {
            return seconds(t, 1000);
        }
        Matcher m = TERM.matcher(t);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < t.length() && m.find(at) && m.start() == at) {
            total = total.plus(seconds(m.group(1), unitMillis(m.group(2))));
            at = m.end();
        }
        if (t.isEmpty() || at != t.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (examples: 10s, 500ms, 2m, 1m30s, 5)");
        }
        return total;
    }

    /** Short human form for messages: {@code 10s}, {@code 1500ms}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    private static long unitMillis(String unit) {
        switch (unit) {
            case "ms":
                return 1;
            case "s":
                return 1000;
            case "m":
                return 60_000;
            default:
                return 3_600_000;
        }
    }

    private static Duration seconds(String number, long unitMillis) {
        double millis = Double.parseDouble(number) * unitMillis;
        if (millis > Long.MAX_VALUE / 2) {
            throw new IllegalArgumentException("'" + number + "' is too large for a duration");
        }
        return Duration.ofMillis(Math.round(millis));
    }
}
