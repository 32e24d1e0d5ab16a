package io.dflockd.client;

import io.dflockd.protocol.JsonReader;
import io.dflockd.protocol.Status;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The replies of the data commands (PROTOCOL.md §6.16-6.20), read here rather than by
 * {@link io.dflockd.protocol.Reply#parse}: a counter may be negative and a value is any text after
 * {@code ok }, spaces and leading brackets included, so only the request knows the shape.
 */
final class DataReplies {
    private static final String OK = Status.OK.wire();
    private static final String OK_SPACE = OK + ' ';

    private DataReplies() {
    }

    /** {@code ok <signed 64-bit number>}: a counter's value, a list's length. */
    static long number(String line, InetSocketAddress server, String request) {
        if (line.startsWith(OK_SPACE)) {
            try {
                return Long.parseLong(line.substring(OK_SPACE.length()));
            } catch (NumberFormatException e) {
                throw Replies.violation(line, server, request, "not a 64-bit number");
            }
        }
        throw refused(line, server, request, "'ok <number>'");
    }

    /** {@code ok <value>} or {@code nil}: an entry's value, a popped item. */
    static Optional<String> value(String line, InetSocketAddress server, String request) {
        if (line.equals(Status.NIL.wire())) {
            return Optional.empty();
        }
        if (line.length() > OK_SPACE.length() && line.startsWith(OK_SPACE)) {
            return Optional.of(line.substring(OK_SPACE.length()));
        }
        throw refused(line, server, request, "'ok <value>' or 'nil'");
    }

    /** {@code ok <JSON array of strings>}: the items of {@code lrange}. */
    static List<String> items(String line, InetSocketAddress server, String request) {
        if (!line.startsWith(OK_SPACE)) {
            throw refused(line, server, request, "'ok <json array>'");
        }
        Object parsed;
        try {
            parsed = JsonReader.parse(line.substring(OK_SPACE.length()));
        } catch (IllegalArgumentException e) {
            throw Replies.violation(line, server, request, e.getMessage());
        }
        if (!(parsed instanceof List<?> array)) {
            throw Replies.violation(line, server, request, "not a JSON array");
        }
        List<String> items = new ArrayList<>(array.size());
        for (Object item : array) {
            if (!(item instanceof String s)) {
                throw Replies.violation(line, server, request, "an item that is not a string");
            }
            items.add(s);
        }
        return Collections.unmodifiableList(items);
    }

    /** {@code ok} → true, {@code otherwise} (the expected "no", such as {@code cas_conflict}) → false. */
    static boolean okOr(Status otherwise, String line, InetSocketAddress server, String request) {
        if (line.equals(OK)) {
            return true;
        }
        if (line.equals(otherwise.wire())) {
            return false;
        }
        throw refused(line, server, request, "'ok' or '" + otherwise.wire() + "'");
    }

    /** An error status becomes its typed exception; an {@code ok} of the wrong shape is a violation. */
    private static DflockdException refused(String line, InetSocketAddress server, String request, String expected) {
        return line.equals(OK) || line.startsWith(OK_SPACE)
                ? Replies.violation(line, server, request, "expected " + expected)
                : Replies.failure(line, server, request);
    }
}
