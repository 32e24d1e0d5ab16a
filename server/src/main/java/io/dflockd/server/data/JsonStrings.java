package io.dflockd.server.data;

import java.util.List;

/**
 * The JSON array of strings that {@code lrange} answers (PROTOCOL.md §6.18). Strings are byte-exact
 * Latin-1 (one char per wire byte), so only {@code "}, {@code \} and the control characters are
 * escaped and every other byte passes through unchanged: UTF-8 items come back byte for byte. The
 * escapes are upstream's (Go's encoding/json: lower-case hex), which is why this is not
 * {@code StatsWriter.writeString} (upper-case hex, and its surrogate escapes concern Java text).
 */
final class JsonStrings {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonStrings() {
    }

    static String array(List<String> items) {
        StringBuilder b = new StringBuilder(2 + items.size() * 8).append('[');
        for (int i = 0; i < items.size(); i++) {
            quote(i == 0 ? b : b.append(','), items.get(i));
        }
        return b.append(']').toString();
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
