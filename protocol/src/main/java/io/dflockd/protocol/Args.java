package io.dflockd.protocol;

/**
 * The argument grammar of PROTOCOL.md §5: whitespace-separated fields counted exactly, Go-style
 * decimal integers, and the range rules for timeouts, leases and limits.
 *
 * <p>Works on any {@link CharSequence} whose chars are bytes or UTF-16 units: every delimiter the
 * grammar knows is ASCII, so the server can run it on byte-exact Latin-1 strings and the client on
 * ordinary Java strings.
 */
public final class Args {
    private Args() {
    }

    /** ASCII whitespace as the field splitter understands it. */
    public static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C;
    }

    /**
     * Splits {@code arg} into fields on runs of whitespace, requiring between {@code min} and
     * {@code max} fields.
     *
     * @throws ProtocolException with {@link ErrorCode#BAD_ARGUMENTS} on a wrong field count
     */
    public static String[] fields(String arg, int min, int max) throws ProtocolException {
        String[] out = new String[max];
        int n = 0;
        int i = 0;
        int len = arg.length();
        while (i < len) {
            while (i < len && isSpace(arg.charAt(i))) {
                i++;
            }
            if (i == len) {
                break;
            }
            int start = i;
            while (i < len && !isSpace(arg.charAt(i))) {
                i++;
            }
            if (n == max) {
                throw new ProtocolException(ErrorCode.BAD_ARGUMENTS, "expected at most " + max + " fields");
            }
            out[n++] = arg.substring(start, i);
        }
        if (n < min) {
            throw new ProtocolException(ErrorCode.BAD_ARGUMENTS, "expected at least " + min + " fields");
        }
        if (n == max) {
            return out;
        }
        String[] exact = new String[n];
        System.arraycopy(out, 0, exact, 0, n);
        return exact;
    }

    /**
     * Parses a decimal integer with an optional sign, as Go's {@code strconv.Atoi} does.
     *
     * @throws ProtocolException with {@link ErrorCode#NOT_AN_INTEGER}
     */
    public static long parseLong(String s) throws ProtocolException {
        if (s.isEmpty() || s.length() > 20) {
            throw new ProtocolException(ErrorCode.NOT_AN_INTEGER, "not an integer");
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ProtocolException(ErrorCode.NOT_AN_INTEGER, "not an integer");
        }
    }

    /** A timeout in whole seconds: {@code 0 ≤ t ≤ MAX_SECONDS}. */
    public static long timeout(String s) throws ProtocolException {
        long v = parseLong(s);
        if (v < 0 || v > ProtocolLimits.MAX_SECONDS) {
            throw new ProtocolException(ErrorCode.BAD_TIMEOUT, "timeout out of range");
        }
        return v;
    }

    /** A lease TTL in whole seconds: {@code 1 ≤ ttl ≤ MAX_SECONDS}. */
    public static long leaseTtl(String s) throws ProtocolException {
        long v = parseLong(s);
        if (v <= 0 || v > ProtocolLimits.MAX_SECONDS) {
            throw new ProtocolException(ErrorCode.BAD_LEASE, "lease ttl out of range");
        }
        return v;
    }

    /** A semaphore limit: {@code 1 ≤ limit ≤ Integer.MAX_VALUE}. */
    public static int limit(String s) throws ProtocolException {
        long v = parseLong(s);
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw new ProtocolException(ErrorCode.BAD_LIMIT, "limit out of range");
        }
        return (int) v;
    }

    /** Trims ASCII whitespace from both ends. */
    public static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return start == 0 && end == s.length() ? s : s.substring(start, end);
    }

    /** True when {@code s} contains at least one non-whitespace char. */
    public static boolean hasContent(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isSpace(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
