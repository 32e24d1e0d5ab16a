package io.dflockd.server.net;

import io.dflockd.protocol.Command;
import io.dflockd.protocol.ProtocolLimits;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The key line and the argument line of one connection, as Latin-1 strings that are reused when the
 * bytes repeat. A client typically locks and releases the same key over and over with the same
 * arguments ({@code l key "10 30"}, {@code r key <token>}), so keeping the last key, and the last
 * argument of each command, turns two strings per request into zero for the repeating lines, and
 * keeps their hash codes (the key is hashed by the resource table on every request).
 *
 * <p>Comparing costs at most one pass over bytes that are already in cache; a line that changes every
 * time (a release's token) stops at its first differing byte and is decoded as before. Identity of
 * the returned strings also lets {@link RequestParser} reuse a typed request when both lines repeat.
 * One instance per connection, used only on its event loop.
 */
final class RepeatedLines {
    private String key = "";
    /** The last argument line of each command, by {@link Command#ordinal()}. */
    private final String[] args = new String[Command.values().length];

    /** Line 2 of a request, bytes {@code [start, end)} of {@code in}. */
    String key(ByteBuf in, int start, int end) {
        if (!same(key, in, start, end)) {
            key = decode(in, start, end);
        }
        return key;
    }

    /**
     * Line 3 of a request for {@code command} ({@code null} when unknown). Only the short arguments of
     * known commands are kept: an auth secret or a signal payload (up to 64 KiB) is not held on to.
     */
    String arg(Command command, ByteBuf in, int start, int end) {
        if (!keepsArg(command)) {
            return decode(in, start, end);
        }
        int slot = command.ordinal();
        String last = args[slot];
        if (last != null && same(last, in, start, end)) {
            return last;
        }
        String fresh = decode(in, start, end);
        args[slot] = fresh;
        return fresh;
    }

    /** Whether the argument lines of {@code command} are kept: short ones of a known command. */
    static boolean keepsArg(Command command) {
        return command != null && command.argCap() == ProtocolLimits.MAX_LINE_BYTES;
    }

    private static String decode(ByteBuf in, int start, int end) {
        return end == start ? "" : in.toString(start, end - start, StandardCharsets.ISO_8859_1);
    }

    private static boolean same(String s, ByteBuf in, int start, int end) {
        if (s.length() != end - start) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != (in.getByte(start + i) & 0xFF)) {
                return false;
            }
        }
        return true;
    }
}
