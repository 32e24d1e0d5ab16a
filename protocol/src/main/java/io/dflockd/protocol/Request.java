package io.dflockd.protocol;

import java.nio.charset.Charset;

/**
 * One typed request of the wire protocol (PROTOCOL.md §6): what client, server, tools and, later,
 * a replicated log or an HTTP endpoint exchange. {@link RequestGrammar#parse} builds one from the
 * three lines a server read; {@link #encode} writes the three lines a client sends.
 *
 * <p>Lock-family requests carry their {@link LockKind}: {@code LOCK} for the lock commands
 * ({@code l r n e w}), whose limit is 1, {@code SEMAPHORE} for {@code sl sr sn se sw}, {@code READ} and
 * {@code WRITE} for the read-write lock commands ({@code rl rr rn re rw}, {@code wl wr wn we ww}).
 * {@link Keep} alone keeps a {@code semaphore} flag: keep has no read-write commands. A lease of 0 means
 * "not sent": the server's default applies.
 */
public sealed interface Request {
    /** The key line of commands that ignore it ({@code auth}, {@code stats}, {@code ping}, {@code barrier}). */
    String NO_KEY = "_";

    /** The command of line 1. */
    Command command();

    /** Line 2: the key, pattern or channel; {@link #NO_KEY} for unkeyed commands. */
    String key();

    /** Line 3, as this request encodes it. */
    String arg();

    /** The three LF-terminated lines in {@code charset} (UTF-8 for clients, Latin-1 for byte-exact strings). */
    default byte[] encode(Charset charset) {
        String key = key();
        String arg = arg();
        String wire = command().wire();
        return new StringBuilder(wire.length() + key.length() + arg.length() + 3)
                .append(wire).append('\n').append(key).append('\n').append(arg).append('\n')
                .toString().getBytes(charset);
    }

    /**
     * {@code l} / {@code sl} / {@code rl} / {@code wl}: acquire, waiting up to {@code timeoutSeconds}
     * (0 = try once). {@code limit} is 1 for a lock and 0 for either side of a read-write lock.
     */
    record Acquire(String key, long timeoutSeconds, int limit, long leaseSeconds, LockKind kind)
            implements Request {
        public static Acquire lock(String key, long timeoutSeconds, long leaseSeconds) {
            return new Acquire(key, timeoutSeconds, 1, leaseSeconds, LockKind.LOCK);
        }

        public static Acquire semaphore(String key, long timeoutSeconds, int limit, long leaseSeconds) {
            return new Acquire(key, timeoutSeconds, limit, leaseSeconds, LockKind.SEMAPHORE);
        }

        /** {@code rl} ({@link LockKind#READ}) or {@code wl} ({@link LockKind#WRITE}). */
        public static Acquire readWrite(LockKind kind, String key, long timeoutSeconds, long leaseSeconds) {
            return new Acquire(key, timeoutSeconds, 0, leaseSeconds, requireReadWrite(kind));
        }

        @Override
        public Command command() {
            return kind.acquire();
        }

        @Override
        public String arg() {
            StringBuilder b = new StringBuilder(24).append(timeoutSeconds);
            if (kind == LockKind.SEMAPHORE) {
                b.append(' ').append(limit);
            }
            return leaseSeconds > 0 ? b.append(' ').append(leaseSeconds).toString() : b.toString();
        }
    }

    /** {@code e} / {@code se} / {@code re} / {@code we}: two-phase step 1, take it if free or join the queue. */
    record Enqueue(String key, int limit, long leaseSeconds, LockKind kind) implements Request {
        public static Enqueue lock(String key, long leaseSeconds) {
            return new Enqueue(key, 1, leaseSeconds, LockKind.LOCK);
        }

        public static Enqueue semaphore(String key, int limit, long leaseSeconds) {
            return new Enqueue(key, limit, leaseSeconds, LockKind.SEMAPHORE);
        }

        /** {@code re} ({@link LockKind#READ}) or {@code we} ({@link LockKind#WRITE}). */
        public static Enqueue readWrite(LockKind kind, String key, long leaseSeconds) {
            return new Enqueue(key, 0, leaseSeconds, requireReadWrite(kind));
        }

        @Override
        public Command command() {
            return kind.enqueue();
        }

        @Override
        public String arg() {
            String lease = leaseSeconds > 0 ? Long.toString(leaseSeconds) : "";
            if (kind != LockKind.SEMAPHORE) {
                return lease;
            }
            return lease.isEmpty() ? Integer.toString(limit) : limit + " " + lease;
        }
    }

    /** {@code w} / {@code sw} / {@code rw} / {@code ww}: two-phase step 2, wait for the grant of an earlier enqueue. */
    record Wait(String key, long timeoutSeconds, LockKind kind) implements Request {
        /** {@code w} or {@code sw}. */
        public Wait(String key, long timeoutSeconds, boolean semaphore) {
            this(key, timeoutSeconds, LockKind.of(semaphore));
        }

        @Override
        public Command command() {
            return kind.await();
        }

        @Override
        public String arg() {
            return Long.toString(timeoutSeconds);
        }
    }

    /** {@code r} / {@code sr} / {@code rr} / {@code wr}: release the grant of {@code token}. */
    record Release(String key, String token, LockKind kind) implements Request {
        /** {@code r} or {@code sr}. */
        public Release(String key, String token, boolean semaphore) {
            this(key, token, LockKind.of(semaphore));
        }

        @Override
        public Command command() {
            return kind.release();
        }

        @Override
        public String arg() {
            return token;
        }
    }

    /** {@code n} / {@code sn} / {@code rn} / {@code wn}: extend the lease of {@code token}. */
    record Renew(String key, String token, long leaseSeconds, LockKind kind) implements Request {
        /** {@code n} or {@code sn}. */
        public Renew(String key, String token, long leaseSeconds, boolean semaphore) {
            this(key, token, leaseSeconds, LockKind.of(semaphore));
        }

        @Override
        public Command command() {
            return kind.renew();
        }

        @Override
        public String arg() {
            return leaseSeconds > 0 ? token + " " + leaseSeconds : token;
        }
    }

    /**
     * {@code k} / {@code sk} (our extension, PROTOCOL.md §6.10): the grant of {@code token} is kept for
     * {@code leaseSeconds} from now whatever becomes of the connection that holds it, then expires;
     * the token still renews and releases it.
     */
    record Keep(String key, String token, long leaseSeconds, boolean semaphore) implements Request {
        @Override
        public Command command() {
            return semaphore ? Command.SEM_KEEP : Command.KEEP;
        }

        @Override
        public String arg() {
            return token + " " + leaseSeconds;
        }
    }

    private static LockKind requireReadWrite(LockKind kind) {
        if (!kind.readWrite()) {
            throw new IllegalArgumentException("not a read-write kind: " + kind);
        }
        return kind;
    }

    /**
     * {@code elect} (PROTOCOL.md §6.15): run for leader of {@code key}, waiting up to
     * {@code timeoutSeconds} (0 = try once). An election is a lock of limit 1 on the key, so the
     * server runs it as {@code l}; the grant's fence is the term's.
     */
    record Elect(String key, long timeoutSeconds, long leaseSeconds) implements Request {
        @Override
        public Command command() {
            return Command.ELECT;
        }

        @Override
        public String arg() {
            return leaseSeconds > 0 ? timeoutSeconds + " " + leaseSeconds : Long.toString(timeoutSeconds);
        }
    }

    /** {@code resign} (§6.15): give up the leadership of {@code token}; the server runs it as {@code r}. */
    record Resign(String key, String token) implements Request {
        @Override
        public Command command() {
            return Command.RESIGN;
        }

        @Override
        public String arg() {
            return token;
        }
    }

    /**
     * {@code observe} / {@code unobserve} (§6.15): subscribe this connection to the {@code leader}
     * pushes of {@code key} (§9.13), or drop that subscription. The argument line is sent empty and
     * ignored when read, as upstream does.
     */
    record Observe(String key, boolean subscribe) implements Request {
        @Override
        public Command command() {
            return subscribe ? Command.OBSERVE : Command.UNOBSERVE;
        }

        @Override
        public String arg() {
            return "";
        }
    }

    /** {@code listen}: subscribe to a pattern, in a queue group when {@code group} is not empty. */
    record Listen(String key, String group) implements Request {
        @Override
        public Command command() {
            return Command.LISTEN;
        }

        @Override
        public String arg() {
            return group;
        }
    }

    /** {@code unlisten}: drop a subscription made with the same pattern and group. */
    record Unlisten(String key, String group) implements Request {
        @Override
        public Command command() {
            return Command.UNLISTEN;
        }

        @Override
        public String arg() {
            return group;
        }
    }

    /** {@code signal}: publish {@code payload} on the channel {@code key}. */
    record Publish(String key, String payload) implements Request {
        @Override
        public Command command() {
            return Command.SIGNAL;
        }

        @Override
        public String arg() {
            return payload;
        }
    }

    /**
     * {@code incr} / {@code decr} / {@code cset} / {@code get} (§6.16) on the counter {@code key}:
     * add {@code value}, subtract it, set the counter to it, or read it ({@code value} unused, 0).
     */
    record CounterOp(Command command, String key, long value) implements Request {
        public CounterOp {
            if (command != Command.INCR && command != Command.DECR && command != Command.CSET && command != Command.GET) {
                throw new IllegalArgumentException("not a counter command: " + command);
            }
        }

        @Override
        public String arg() {
            return command == Command.GET ? "" : Long.toString(value);
        }
    }

    /**
     * {@code kset} (§6.17): set the entry {@code key} to {@code value} (1 byte or more, no tab), for
     * {@code ttlSeconds} (0 = until deleted).
     */
    record KvSet(String key, String value, long ttlSeconds) implements Request {
        @Override
        public Command command() {
            return Command.KSET;
        }

        @Override
        public String arg() {
            return ttlSeconds > 0 ? value + '\t' + ttlSeconds : value;
        }
    }

    /** {@code kget} (§6.17): the entry's value, or {@code nil}. */
    record KvGet(String key) implements Request {
        @Override
        public Command command() {
            return Command.KGET;
        }

        @Override
        public String arg() {
            return "";
        }
    }

    /** {@code kdel} (§6.17): delete the entry, if any. */
    record KvDelete(String key) implements Request {
        @Override
        public Command command() {
            return Command.KDEL;
        }

        @Override
        public String arg() {
            return "";
        }
    }

    /**
     * {@code kcas} (§6.17): set the entry to {@code value} only if it holds {@code expected}; an empty
     * {@code expected} means "only if absent".
     */
    record KvCas(String key, String expected, String value, long ttlSeconds) implements Request {
        @Override
        public Command command() {
            return Command.KCAS;
        }

        @Override
        public String arg() {
            return expected + '\t' + value + '\t' + ttlSeconds;
        }
    }

    /** {@code lpush} / {@code rpush} (§6.18): add {@code value} at the left (head) or right (tail) end. */
    record ListPush(String key, String value, boolean left) implements Request {
        @Override
        public Command command() {
            return left ? Command.LPUSH : Command.RPUSH;
        }

        @Override
        public String arg() {
            return value;
        }
    }

    /**
     * {@code lpop} / {@code rpop}, or with {@code blocking} {@code blpop} / {@code brpop} (§6.18), which
     * wait up to {@code timeoutSeconds} for an item (0 = try once).
     */
    record ListPop(String key, boolean left, boolean blocking, long timeoutSeconds) implements Request {
        public static ListPop now(String key, boolean left) {
            return new ListPop(key, left, false, 0);
        }

        @Override
        public Command command() {
            if (blocking) {
                return left ? Command.BLPOP : Command.BRPOP;
            }
            return left ? Command.LPOP : Command.RPOP;
        }

        @Override
        public String arg() {
            return blocking ? Long.toString(timeoutSeconds) : "";
        }
    }

    /** {@code llen} (§6.18): the list's length, 0 when absent. */
    record ListLength(String key) implements Request {
        @Override
        public Command command() {
            return Command.LLEN;
        }

        @Override
        public String arg() {
            return "";
        }
    }

    /** {@code lrange} (§6.18): items {@code start..stop}, inclusive, negative counting from the end. */
    record ListRange(String key, int start, int stop) implements Request {
        @Override
        public Command command() {
            return Command.LRANGE;
        }

        @Override
        public String arg() {
            return start + " " + stop;
        }
    }

    /**
     * {@code watch} / {@code unwatch} (§6.19): subscribe this connection to the {@code watch} pushes
     * (§9.14) of the keys that match the pattern {@code key}, or drop that subscription.
     */
    record Watch(String key, boolean subscribe) implements Request {
        @Override
        public Command command() {
            return subscribe ? Command.WATCH : Command.UNWATCH;
        }

        @Override
        public String arg() {
            return "";
        }
    }

    /**
     * {@code bwait} (§6.20): arrive at the barrier {@code key} of {@code count} parties and wait up to
     * {@code timeoutSeconds} for the others.
     */
    record BarrierWait(String key, int count, long timeoutSeconds) implements Request {
        @Override
        public Command command() {
            return Command.BWAIT;
        }

        @Override
        public String arg() {
            return count + " " + timeoutSeconds;
        }
    }

    /** A request without key and argument: both lines are sent as {@link #NO_KEY} and ignored when read. */
    sealed interface Unkeyed extends Request permits QueryStats, Ping, Barrier {
        @Override
        default String key() {
            return NO_KEY;
        }

        @Override
        default String arg() {
            return NO_KEY;
        }
    }

    /** {@code stats}. */
    record QueryStats() implements Unkeyed {
        @Override
        public Command command() {
            return Command.STATS;
        }
    }

    /** {@code ping}. */
    record Ping() implements Unkeyed {
        @Override
        public Command command() {
            return Command.PING;
        }
    }

    /**
     * {@code barrier}: a linearizable no-op (upstream's cluster mode). A standalone server answers
     * {@code ok} at once; a cluster node answers {@code ok} once it has applied every change
     * committed anywhere in the cluster before the request arrived.
     */
    record Barrier() implements Unkeyed {
        @Override
        public Command command() {
            return Command.BARRIER;
        }
    }

    /**
     * {@code stable-ref} (upstream's cluster mode): this connection acts for the client named {@code ref},
     * 1 to {@value #MAX_BYTES} printable ASCII bytes, sent on line 2. In cluster mode a later connection
     * with the same reference re-attaches to the queue places and slots this one leaves behind
     * (PROTOCOL.md §6.13); a standalone server answers {@code ok} and ignores it.
     */
    record StableRef(String ref) implements Request {
        /** Upstream's cap on a reference's length. */
        public static final int MAX_BYTES = 64;

        /** Upstream's rule: 1 to {@value #MAX_BYTES} chars, each printable ASCII (0x20-0x7e). */
        public static boolean isValid(String ref) {
            if (ref == null || ref.isEmpty() || ref.length() > MAX_BYTES) {
                return false;
            }
            for (int i = 0; i < ref.length(); i++) {
                char c = ref.charAt(i);
                if (c < 0x20 || c > 0x7e) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public Command command() {
            return Command.STABLE_REF;
        }

        @Override
        public String key() {
            return ref;
        }

        @Override
        public String arg() {
            return NO_KEY;
        }
    }

    /** {@code auth}: the shared secret; must be the first request when the server has one. */
    record Auth(String token) implements Request {
        @Override
        public Command command() {
            return Command.AUTH;
        }

        @Override
        public String key() {
            return NO_KEY;
        }

        @Override
        public String arg() {
            return token;
        }

        @Override
        public String toString() {
            return "Auth[token=<redacted>]";
        }
    }

    /**
     * {@code admin}: elevates the connection to the membership commands when {@code token} is the
     * server's admin token (cluster mode only; PROTOCOL.md §6.12).
     */
    record Admin(String token) implements Request {
        @Override
        public Command command() {
            return Command.ADMIN;
        }

        @Override
        public String key() {
            return NO_KEY;
        }

        @Override
        public String arg() {
            return token;
        }

        @Override
        public String toString() {
            return "Admin[token=<redacted>]";
        }
    }

    /** A membership command: line 2 is the node id it is about. */
    sealed interface Membership extends Request permits ClusterAdd, ClusterRemove, ClusterTransfer {
        /** The node the command adds, removes or hands leadership to. */
        String nodeId();

        @Override
        default String key() {
            return nodeId();
        }

        @Override
        default String arg() {
            return NO_KEY;
        }
    }

    /**
     * {@code cluster-add}: make {@code nodeId} a voting member, reached by its peers at
     * {@code raftAddress} and by clients at {@code clientAddress}; the argument line is
     * {@code <raftHost:port>@<clientHost:port>}.
     */
    record ClusterAdd(String nodeId, String raftAddress, String clientAddress) implements Membership {
        @Override
        public Command command() {
            return Command.CLUSTER_ADD;
        }

        @Override
        public String arg() {
            return raftAddress + "@" + clientAddress;
        }
    }

    /** {@code cluster-remove}: take {@code nodeId} out of the voting members. */
    record ClusterRemove(String nodeId) implements Membership {
        @Override
        public Command command() {
            return Command.CLUSTER_REMOVE;
        }
    }

    /** {@code cluster-transfer}: hand the leadership to {@code nodeId}. */
    record ClusterTransfer(String nodeId) implements Membership {
        @Override
        public Command command() {
            return Command.CLUSTER_TRANSFER;
        }
    }
}
