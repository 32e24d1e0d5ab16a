package io.dflockd.protocol;

/**
 * NATS-style subjects for signals (PROTOCOL.md §9.5): dot-separated tokens; in patterns {@code *}
 * matches exactly one token and {@code >} one or more trailing tokens. Both wildcards must be whole
 * tokens and {@code >} may only be last. Empty tokens are legal and {@code *} matches them.
 */
public final class Subjects {
    private Subjects() {
    }

    /** True when {@code pattern} is a valid listen pattern (key rules are checked separately). */
    public static boolean isValidPattern(String pattern) {
        int start = 0;
        int len = pattern.length();
        while (true) {
            int dot = pattern.indexOf('.', start);
            int end = dot < 0 ? len : dot;
            for (int i = start; i < end; i++) {
                char c = pattern.charAt(i);
                if ((c == '*' || c == '>') && end - start != 1) {
                    return false;
                }
            }
            if (end - start == 1 && pattern.charAt(start) == '>' && dot >= 0) {
                return false;
            }
            if (dot < 0) {
                return true;
            }
            start = dot + 1;
        }
    }

    /** True when {@code channel} contains a wildcard character and so cannot be published to. */
    public static boolean hasWildcard(String channel) {
        return channel.indexOf('*') >= 0 || channel.indexOf('>') >= 0;
    }

    /** True when {@code pattern} contains a wildcard token. */
    public static boolean isWildcard(String pattern) {
        return hasWildcard(pattern);
    }

    /** Reference matcher: does the valid {@code pattern} match the literal {@code channel}? */
    public static boolean matches(String pattern, String channel) {
        int p = 0;
        int c = 0;
        int pl = pattern.length();
        int cl = channel.length();
        while (true) {
            int pDot = pattern.indexOf('.', p);
            int pEnd = pDot < 0 ? pl : pDot;
            if (pEnd - p == 1 && pattern.charAt(p) == '>') {
                return true; // the loop only gets here with at least one channel token left
            }
            int cDot = channel.indexOf('.', c);
            int cEnd = cDot < 0 ? cl : cDot;
            boolean star = pEnd - p == 1 && pattern.charAt(p) == '*';
            boolean same = pEnd - p == cEnd - c && pattern.regionMatches(p, channel, c, pEnd - p);
            if (!star && !same) {
                return false;
            }
            boolean pLast = pDot < 0;
            boolean cLast = cDot < 0;
            if (pLast || cLast) {
                return pLast && cLast;
            }
            p = pDot + 1;
            c = cDot + 1;
        }
    }
}
