package io.dflockd.protocol;

/**
 * One reply line (PROTOCOL.md §2.4, §11.1), typed. Every shape is recognisable without knowing the
 * request, so {@link #parse} needs only the line; the receiver then checks that the shape is the one
 * its request expects. Signal pushes ({@code sig …}) and leader pushes ({@code leader …}) are not
 * replies: see {@link SignalFrame} and {@link LeaderFrame}.
 */
public sealed interface Reply {
    /** The line without its LF. */
    String encode();

    /** A reply that is only a status word: {@code ok}, {@code queued}, {@code timeout}, {@code error_*}. */
    record Bare(Status status) implements Reply {
        private static final java.util.EnumMap<Status, Bare> SHARED = new java.util.EnumMap<>(Status.class);

        static {
            for (Status s : Status.values()) {
                SHARED.put(s, new Bare(s));
            }
        }

        /** The shared instance for {@code status} (replies are immutable; the hot path allocates none). */
        public static Bare of(Status status) {
            return SHARED.get(status);
        }

        @Override
        public String encode() {
            return status.wire();
        }
    }

    /**
     * {@code ok <token> <lease>} (acquire, wait) or {@code acquired <token> <lease>} (enqueue). A 4th
     * field, the fence that the redis-feats branch appends, is accepted by {@link #parse} and dropped:
     * our fence is the token's first half (PROTOCOL.md §8).
     */
    record Granted(Status status, String token, long leaseSeconds) implements Reply {
        @Override
        public String encode() {
            return status.wire() + ' ' + token + ' ' + leaseSeconds;
        }
    }

    /**
     * {@code ok <n>}: the lease after a renewal, or how many listeners a signal reached. A 3rd field
     * (redis-feats' fence after a renewal) is accepted by {@link #parse} and dropped.
     */
    record Numeric(long value) implements Reply {
        @Override
        public String encode() {
            return "ok " + value;
        }
    }

    /**
     * {@code ok <text>}: a JSON document ({@code stats}, {@code lrange}) or a value ({@code kget}, the pops),
     * sent as it was stored.
     */
    record Payload(String text) implements Reply {
        @Override
        public String encode() {
            return "ok " + text;
        }
    }

    /**
     * {@code error_not_leader <host:port>} or a bare {@code error_not_leader} (PROTOCOL.md §11.1): a
     * cluster node in redirect mode that does not lead, naming the leader's client address when it
     * knows one. Upstream's form, byte for byte.
     *
     * @param leaderAddress the leader's {@code host:port}, or {@code null} while no leader is known
     */
    record NotLeader(String leaderAddress) implements Reply {
        public NotLeader {
            if (leaderAddress != null && (leaderAddress.isEmpty() || leaderAddress.chars().anyMatch(c -> c <= ' '))) {
                throw new IllegalArgumentException("a leader address is one non-empty word, got '" + leaderAddress + "'");
            }
        }

        @Override
        public String encode() {
            String word = Status.ERROR_NOT_LEADER.wire();
            return leaderAddress == null ? word : word + ' ' + leaderAddress;
        }
    }

    /** A line whose first word is no status this protocol knows (a newer server, or not dflockd). */
    record Unrecognized(String line) implements Reply {
        @Override
        public String encode() {
            return line;
        }
    }

    /**
     * Recognises a reply line (LF and trailing CRs already removed).
     *
     * @throws IllegalArgumentException when the status is known but the fields do not fit any shape
     */
    static Reply parse(String line) {
        String[] f = line.split(" ", -1);
        Status status = Status.fromWire(f[0]);
        if (status == null) {
            return new Unrecognized(line);
        }
        int n = f.length;
        switch (status) {
            case OK:
                if (n == 1) {
                    return new Bare(Status.OK);
                }
                if (f[1].startsWith("{") || f[1].startsWith("[")) {
                    return new Payload(line.substring(3));
                }
                if (n == 2) {
                    return new Numeric(count(f[1], "number"));
                }
                if (n == 3 && isCount(f[1])) {
                    count(f[2], "fence");
                    return new Numeric(count(f[1], "number"));
                }
                return granted(Status.OK, f);
            case ACQUIRED:
                return granted(Status.ACQUIRED, f);
            case ERROR_NOT_LEADER:
                if (n > 2) {
                    throw new IllegalArgumentException("expected 'error_not_leader [<host:port>]'");
                }
                return new NotLeader(n == 1 ? null : f[1]);
            default:
                if (n == 1 || status.wire().startsWith("error")) {
                    return new Bare(status); // an error word may carry a reason; the word is what counts
                }
                throw new IllegalArgumentException("expected a bare '" + status.wire() + "'");
        }
    }

    private static Granted granted(Status status, String[] f) {
        if (f.length < 3 || f.length > 4 || f[1].isEmpty()) {
            throw new IllegalArgumentException("expected '" + status.wire() + " <token> <lease>'");
        }
        if (f.length == 4) {
            count(f[3], "fence");
        }
        return new Granted(status, f[1], count(f[2], "lease"));
    }

    /** Up to 19 digits: a number, where a token (32 characters) is never one. */
    private static boolean isCount(String s) {
        if (s.isEmpty() || s.length() > 19) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static long count(String s, String what) {
        if (isCount(s)) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException overflow) {
                // 19 digits above Long.MAX_VALUE: reported below
            }
        }
        throw new IllegalArgumentException("'" + s + "' is not a non-negative integer (" + what + ")");
    }
}
