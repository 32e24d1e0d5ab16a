package io.dflockd.bench.wire;

import io.dflockd.protocol.Status;

/**
 * Strict readings of the replies to the data commands (PROTOCOL.md §6.16-6.18), which both servers
 * send as {@code ok <n>} (a counter may be negative), {@code ok <value>} or {@code nil}. The codec's
 * {@code Reply.parse} cannot read them alone: {@code ok 42} is a number after {@code incr} and a
 * value after {@code kget}, and it knows no negative numbers, so the request decides the shape here.
 * Every other line is refused, and the refusal names it.
 */
public final class DataReplies {
    private static final String OK_SPACE = Status.OK.wire() + ' ';
    /** {@code -9223372036854775808}: a sign and 19 digits. */
    private static final int MAX_NUMBER_CHARS = 20;

    private DataReplies() {
    }

    /**
     * The number of {@code ok <n>}: a long in canonical decimal, as both servers write it (an optional
     * {@code -}, no leading zero, no {@code -0}).
     *
     * @throws IllegalArgumentException for any other line
     */
    public static long number(String line) {
        String n = afterOk(line, "ok <integer>");
        int first = n.startsWith("-") ? 1 : 0;
        boolean canonical = n.length() > first && n.length() <= MAX_NUMBER_CHARS
                && (n.charAt(first) != '0' || n.equals("0"));
        for (int i = first; canonical && i < n.length(); i++) {
            canonical = n.charAt(i) >= '0' && n.charAt(i) <= '9';
        }
        if (!canonical) {
            throw unexpected(line, "ok <integer>");
        }
        try {
            return Long.parseLong(n);
        } catch (NumberFormatException outOfRange) {
            throw unexpected(line, "ok <integer>");
        }
    }

    /**
     * The count of {@code ok <n>} with n ≥ 0 (a list's length).
     *
     * @throws IllegalArgumentException for any other line
     */
    public static long count(String line) {
        long n = number(line);
        if (n < 0) {
            throw unexpected(line, "ok <count>");
        }
        return n;
    }

    /**
     * The value of {@code ok <value>} (1 byte or more, taken as sent), or {@code null} for {@code nil}.
     *
     * @throws IllegalArgumentException for any other line
     */
    public static String valueOrNil(String line) {
        if (line.equals(Status.NIL.wire())) {
            return null;
        }
        return afterOk(line, "ok <value> or nil");
    }

    private static String afterOk(String line, String expected) {
        if (!line.startsWith(OK_SPACE) || line.length() == OK_SPACE.length()) {
            throw unexpected(line, expected);
        }
        return line.substring(OK_SPACE.length());
    }

    private static IllegalArgumentException unexpected(String line, String expected) {
        return new IllegalArgumentException("expected '" + expected + "', got '" + line + "'");
    }
}
