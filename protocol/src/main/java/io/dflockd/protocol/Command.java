package io.dflockd.protocol;

/**
 * Every request command of the wire protocol (PROTOCOL.md §6), with the byte cap of its argument line.
 *
 * <p>A request is always three LF-terminated lines: command, key, argument. The key line is
 * validated for the lock, semaphore and signal commands, is the reference of {@link #STABLE_REF},
 * is ignored for {@link #AUTH}, {@link #STATS}, {@link #PING} and {@link #BARRIER}, and the membership
 * commands take a node id there.
 */
public enum Command {
    AUTH("auth", ProtocolLimits.MAX_PAYLOAD_BYTES, false),
    LOCK("l", ProtocolLimits.MAX_LINE_BYTES, true),
    RELEASE("r", ProtocolLimits.MAX_LINE_BYTES, true),
    RENEW("n", ProtocolLimits.MAX_LINE_BYTES, true),
    ENQUEUE("e", ProtocolLimits.MAX_LINE_BYTES, true),
    WAIT("w", ProtocolLimits.MAX_LINE_BYTES, true),
    SEM_LOCK("sl", ProtocolLimits.MAX_LINE_BYTES, true),
    SEM_RELEASE("sr", ProtocolLimits.MAX_LINE_BYTES, true),
    SEM_RENEW("sn", ProtocolLimits.MAX_LINE_BYTES, true),
    SEM_ENQUEUE("se", ProtocolLimits.MAX_LINE_BYTES, true),
    SEM_WAIT("sw", ProtocolLimits.MAX_LINE_BYTES, true),
    /** Our extension (not upstream's): hand a held lock over to time alone; see {@link Request.Keep}. */
    KEEP("k", ProtocolLimits.MAX_LINE_BYTES, true),
    SEM_KEEP("sk", ProtocolLimits.MAX_LINE_BYTES, true),
    /** Read-write locks (upstream's redis-feats branch, PROTOCOL.md §6.14): the read side. */
    READ_LOCK("rl", ProtocolLimits.MAX_LINE_BYTES, true),
    READ_RELEASE("rr", ProtocolLimits.MAX_LINE_BYTES, true),
    READ_RENEW("rn", ProtocolLimits.MAX_LINE_BYTES, true),
    READ_ENQUEUE("re", ProtocolLimits.MAX_LINE_BYTES, true),
    READ_WAIT("rw", ProtocolLimits.MAX_LINE_BYTES, true),
    /** Read-write locks: the write side. */
    WRITE_LOCK("wl", ProtocolLimits.MAX_LINE_BYTES, true),
    WRITE_RELEASE("wr", ProtocolLimits.MAX_LINE_BYTES, true),
    WRITE_RENEW("wn", ProtocolLimits.MAX_LINE_BYTES, true),
    WRITE_ENQUEUE("we", ProtocolLimits.MAX_LINE_BYTES, true),
    WRITE_WAIT("ww", ProtocolLimits.MAX_LINE_BYTES, true),
    STATS("stats", ProtocolLimits.MAX_LINE_BYTES, false),
    PING("ping", ProtocolLimits.MAX_LINE_BYTES, false),
    /** Upstream's cluster mode: answered once a linearizable read went through the cluster; see {@link Request.Barrier}. */
    BARRIER("barrier", ProtocolLimits.MAX_LINE_BYTES, false),
    /**
     * Upstream's cluster mode: names the connection's client with a stable reference (line 2), so a
     * later connection can re-attach to its queue places and slots; see {@link Request.StableRef}.
     */
    STABLE_REF("stable-ref", ProtocolLimits.MAX_LINE_BYTES, false),
    /**
     * Leader election (upstream's redis-feats branch, PROTOCOL.md §6.15): {@code elect} runs for leader
     * of a key (a lock of limit 1), {@code resign} steps down by token.
     */
    ELECT("elect", ProtocolLimits.MAX_LINE_BYTES, true),
    RESIGN("resign", ProtocolLimits.MAX_LINE_BYTES, true),
    /** Leader election: (un)subscribe the connection to a key's {@code leader} pushes (§9.13). */
    OBSERVE("observe", ProtocolLimits.MAX_LINE_BYTES, true),
    UNOBSERVE("unobserve", ProtocolLimits.MAX_LINE_BYTES, true),
    /** Counters (upstream's redis-feats branch, PROTOCOL.md §6.16): 64-bit signed, 0 when absent. */
    INCR("incr", ProtocolLimits.MAX_LINE_BYTES, true),
    DECR("decr", ProtocolLimits.MAX_LINE_BYTES, true),
    GET("get", ProtocolLimits.MAX_LINE_BYTES, true),
    CSET("cset", ProtocolLimits.MAX_LINE_BYTES, true),
    /** Key-value entries with an optional TTL (§6.17); values travel on the argument line. */
    KSET("kset", ProtocolLimits.MAX_PAYLOAD_BYTES, true),
    KGET("kget", ProtocolLimits.MAX_LINE_BYTES, true),
    KDEL("kdel", ProtocolLimits.MAX_LINE_BYTES, true),
    KCAS("kcas", ProtocolLimits.MAX_PAYLOAD_BYTES, true),
    /** Lists (§6.18): push and pop at either end, length, range, and blocking pops. */
    LPUSH("lpush", ProtocolLimits.MAX_PAYLOAD_BYTES, true),
    RPUSH("rpush", ProtocolLimits.MAX_PAYLOAD_BYTES, true),
    LPOP("lpop", ProtocolLimits.MAX_LINE_BYTES, true),
    RPOP("rpop", ProtocolLimits.MAX_LINE_BYTES, true),
    LLEN("llen", ProtocolLimits.MAX_LINE_BYTES, true),
    LRANGE("lrange", ProtocolLimits.MAX_LINE_BYTES, true),
    BLPOP("blpop", ProtocolLimits.MAX_LINE_BYTES, true),
    BRPOP("brpop", ProtocolLimits.MAX_LINE_BYTES, true),
    /** Watches (§6.19): (un)subscribe the connection to the {@code watch} pushes of keys matching a pattern (§9.14). */
    WATCH("watch", ProtocolLimits.MAX_LINE_BYTES, true),
    UNWATCH("unwatch", ProtocolLimits.MAX_LINE_BYTES, true),
    /** Barriers (§6.20): wait until N parties have arrived at a key. Not {@link #BARRIER}, the cluster read. */
    BWAIT("bwait", ProtocolLimits.MAX_LINE_BYTES, true),
    LISTEN("listen", ProtocolLimits.MAX_LINE_BYTES, true),
    UNLISTEN("unlisten", ProtocolLimits.MAX_LINE_BYTES, true),
    SIGNAL("signal", ProtocolLimits.MAX_PAYLOAD_BYTES, true),
    /** Cluster mode: elevates the connection with the admin token; see {@link Request.Admin}. */
    ADMIN("admin", ProtocolLimits.MAX_PAYLOAD_BYTES, false),
    /** Cluster mode, admin only: line 2 is a node id, not a key; see {@link Request.ClusterAdd}. */
    CLUSTER_ADD("cluster-add", ProtocolLimits.MAX_LINE_BYTES, false),
    CLUSTER_REMOVE("cluster-remove", ProtocolLimits.MAX_LINE_BYTES, false),
    CLUSTER_TRANSFER("cluster-transfer", ProtocolLimits.MAX_LINE_BYTES, false);

    private final String wire;
    private final int argCap;
    private final boolean keyed;

    Command(String wire, int argCap, boolean keyed) {
        this.wire = wire;
        this.argCap = argCap;
        this.keyed = keyed;
    }

    /** The command as it appears on line 1. */
    public String wire() {
        return wire;
    }

    /** Maximum number of bytes (before the LF) of the argument line for this command. */
    public int argCap() {
        return argCap;
    }

    /** Whether line 2 is a key that must satisfy the key rules (PROTOCOL.md §5). */
    public boolean keyed() {
        return keyed;
    }

    /**
     * Resolves a command from the raw bytes of line 1 without allocating.
     *
     * @return the command, or {@code null} for an unknown command (the server answers {@code error})
     */
    public static Command lookup(byte[] line, int from, int to) {
        int len = to - from;
        switch (len) {
            case 1:
                switch (line[from]) {
                    case 'l': return LOCK;
                    case 'r': return RELEASE;
                    case 'n': return RENEW;
                    case 'e': return ENQUEUE;
                    case 'w': return WAIT;
                    case 'k': return KEEP;
                    default: return null;
                }
            case 2: {
                int first = TWO_BYTE_FIRST.indexOf(line[from]);
                int second = TWO_BYTE_SECOND.indexOf(line[from + 1]);
                return first < 0 || second < 0 ? null : TWO_BYTE[first][second];
            }
            default:
                for (Command c : LONG_NAMES) {
                    if (c.wire.length() == len && matches(c.wire, line, from)) {
                        return c;
                    }
                }
                return null;
        }
    }

    /** Resolves a command from its wire name; {@code null} if unknown. */
    public static Command lookup(String name) {
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return lookup(b, 0, b.length);
    }

    private static final int LONGEST_WIRE = java.util.Arrays.stream(values()).mapToInt(c -> c.wire.length()).max().orElseThrow();

    /** The length of the longest command name: a longer line 1 names no command. */
    public static int longestWire() {
        return LONGEST_WIRE;
    }

    /** The 2-byte names: a row per first byte ({@link #TWO_BYTE_FIRST}), a column per second byte. */
    private static final String TWO_BYTE_FIRST = "srw";
    private static final String TWO_BYTE_SECOND = "lrnewk";
    private static final Command[][] TWO_BYTE = {
        {SEM_LOCK, SEM_RELEASE, SEM_RENEW, SEM_ENQUEUE, SEM_WAIT, SEM_KEEP},
        {READ_LOCK, READ_RELEASE, READ_RENEW, READ_ENQUEUE, READ_WAIT, null},
        {WRITE_LOCK, WRITE_RELEASE, WRITE_RENEW, WRITE_ENQUEUE, WRITE_WAIT, null},
    };

    private static final Command[] LONG_NAMES = {AUTH, STATS, PING, BARRIER, STABLE_REF, LISTEN, UNLISTEN, SIGNAL,
        ELECT, RESIGN, OBSERVE, UNOBSERVE, ADMIN, CLUSTER_ADD, CLUSTER_REMOVE, CLUSTER_TRANSFER,
        INCR, DECR, GET, CSET, KSET, KGET, KDEL, KCAS, LPUSH, RPUSH, LPOP, RPOP, LLEN, LRANGE, BLPOP, BRPOP,
        WATCH, UNWATCH, BWAIT};

    private static boolean matches(String wire, byte[] line, int from) {
        for (int i = 0; i < wire.length(); i++) {
            if (line[from + i] != wire.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
