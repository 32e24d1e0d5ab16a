package io.dflockd.protocol;

/**
 * The argument grammar of every command (PROTOCOL.md §5, §6, §9): the one place that turns the
 * three lines of a request into a typed {@link Request}, or into the {@link ProtocolException}
 * whose code the server logs before it answers {@code error}.
 *
 * <p>Input is what the server reads: byte-exact Latin-1 strings (one char per byte), so lengths
 * are byte counts. Key rules are checked for keyed commands; the key line of {@code auth},
 * {@code stats}, {@code ping} and {@code barrier} is ignored.
 */
public final class RequestGrammar {
    private static final Request.Ping PING = new Request.Ping();
    private static final Request.QueryStats STATS = new Request.QueryStats();
    private static final Request.Barrier BARRIER = new Request.Barrier();

    private RequestGrammar() {
    }

    /**
     * Parses a request whose command line is already resolved.
     *
     * @param cmd the command, or {@code null} when line 1 named no known command
     * @throws ProtocolException with the code of the first rule the request breaks
     */
    public static Request parse(Command cmd, String key, String arg) throws ProtocolException {
        if (cmd == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_COMMAND, "unknown command");
        }
        if (cmd.keyed()) {
            Keys.checkWireKey(key);
        }
        return switch (cmd) {
            case LOCK, READ_LOCK, WRITE_LOCK -> {
                String[] f = Args.fields(arg, 1, 2);
                long timeout = Args.timeout(f[0]);
                long lease = f.length > 1 ? Args.leaseTtl(f[1]) : 0;
                yield cmd == Command.LOCK ? Request.Acquire.lock(key, timeout, lease)
                        : Request.Acquire.readWrite(LockKind.of(cmd), key, timeout, lease);
            }
            case SEM_LOCK -> {
                String[] f = Args.fields(arg, 2, 3);
                long timeout = Args.timeout(f[0]);
                int limit = Args.limit(f[1]);
                yield Request.Acquire.semaphore(key, timeout, limit, f.length > 2 ? Args.leaseTtl(f[2]) : 0);
            }
            case RELEASE, SEM_RELEASE, READ_RELEASE, WRITE_RELEASE ->
                new Request.Release(key, token(Args.trim(arg)), LockKind.of(cmd));
            case RENEW, SEM_RENEW, READ_RENEW, WRITE_RENEW -> {
                String[] f = Args.fields(arg, 0, 2);
                String token = token(f.length == 0 ? "" : f[0]);
                yield new Request.Renew(key, token, f.length > 1 ? Args.leaseTtl(f[1]) : 0, LockKind.of(cmd));
            }
            case KEEP, SEM_KEEP -> {
                String[] f = Args.fields(arg, 0, 2);
                String token = token(f.length == 0 ? "" : f[0]);
                if (f.length < 2) {
                    throw new ProtocolException(ErrorCode.BAD_ARGUMENTS, "keep needs a token and seconds");
                }
                yield new Request.Keep(key, token, Args.leaseTtl(f[1]), cmd == Command.SEM_KEEP);
            }
            case ENQUEUE, READ_ENQUEUE, WRITE_ENQUEUE -> {
                String[] f = Args.fields(arg, 0, 1);
                long lease = f.length > 0 ? Args.leaseTtl(f[0]) : 0;
                yield cmd == Command.ENQUEUE ? Request.Enqueue.lock(key, lease)
                        : Request.Enqueue.readWrite(LockKind.of(cmd), key, lease);
            }
            case SEM_ENQUEUE -> {
                String[] f = Args.fields(arg, 1, 2);
                int limit = Args.limit(f[0]);
                yield Request.Enqueue.semaphore(key, limit, f.length > 1 ? Args.leaseTtl(f[1]) : 0);
            }
            case WAIT, SEM_WAIT, READ_WAIT, WRITE_WAIT ->
                new Request.Wait(key, Args.timeout(Args.fields(arg, 1, 1)[0]), LockKind.of(cmd));
            case ELECT -> {
                Request.Acquire asLock = (Request.Acquire) parse(Command.LOCK, key, arg); // same grammar as l
                yield new Request.Elect(key, asLock.timeoutSeconds(), asLock.leaseSeconds());
            }
            case RESIGN -> new Request.Resign(key, token(Args.trim(arg)));
            case OBSERVE, UNOBSERVE -> new Request.Observe(key, cmd == Command.OBSERVE);
            case STATS -> STATS;
            case PING -> PING;
            case BARRIER -> BARRIER;
            case LISTEN, UNLISTEN -> {
                if (!Subjects.isValidPattern(key)) {
                    throw new ProtocolException(ErrorCode.BAD_KEY, "invalid pattern");
                }
                String group = Args.trim(arg);
                yield cmd == Command.LISTEN ? new Request.Listen(key, group) : new Request.Unlisten(key, group);
            }
            case SIGNAL -> {
                if (Subjects.hasWildcard(key)) {
                    throw new ProtocolException(ErrorCode.BAD_KEY, "wildcard in signal channel");
                }
                if (!Args.hasContent(arg) || arg.length() > ProtocolLimits.maxPayloadBytes(key.length())) {
                    throw new ProtocolException(ErrorCode.BAD_ARGUMENTS, "empty or oversized payload");
                }
                yield new Request.Publish(key, arg);
            }
            case INCR, DECR, CSET -> new Request.CounterOp(cmd, key, Args.parseLong(Args.fields(arg, 1, 1)[0]));
            case GET -> new Request.CounterOp(cmd, key, 0);
            case KSET -> kvSet(key, arg);
            case KGET -> new Request.KvGet(key);
            case KDEL -> new Request.KvDelete(key);
            case KCAS -> kvCas(key, arg);
            case LPUSH, RPUSH -> {
                if (arg.isEmpty()) {
                    throw new ProtocolException(ErrorCode.BAD_ARGUMENTS, cmd.wire() + " needs a value");
                }
                yield new Request.ListPush(key, arg, cmd == Command.LPUSH);
            }
            case LPOP, RPOP -> Request.ListPop.now(key, cmd == Command.LPOP);
            case BLPOP, BRPOP ->
                new Request.ListPop(key, cmd == Command.BLPOP, true, Args.timeout(Args.fields(arg, 1, 1)[0]));
            case LLEN -> new Request.ListLength(key);
            case LRANGE -> {
                String[] f = Args.fields(arg, 2, 2);
                yield new Request.ListRange(key, index(f[0]), index(f[1]));
            }
            case WATCH, UNWATCH -> {
                if (!Subjects.isValidPattern(key)) {
                    throw new ProtocolException(ErrorCode.BAD_KEY, "invalid pattern");
                }
                yield new Request.Watch(key, cmd == Command.WATCH);
            }
            case BWAIT -> {
                String[] f = Args.fields(arg, 2, 2);
                int count = Args.limit(f[0]);
                yield new Request.BarrierWait(key, count, Args.timeout(f[1]));
            }
            case AUTH -> new Request.Auth(Args.trim(arg));
            case ADMIN -> new Request.Admin(Args.trim(arg));
            case CLUSTER_ADD -> {
                String addresses = Args.fields(arg, 1, 1)[0];
                int at = addresses.indexOf('@');
                if (at < 0) {
                    throw new ProtocolException(ErrorCode.BAD_ARGUMENTS, "expected raftHost:port@clientHost:port");
                }
                yield new Request.ClusterAdd(ClusterNames.nodeId(key), ClusterNames.hostPort(addresses.substring(0, at)),
                        ClusterNames.hostPort(addresses.substring(at + 1)));
            }
            case CLUSTER_REMOVE -> new Request.ClusterRemove(ClusterNames.nodeId(key));
            case CLUSTER_TRANSFER -> new Request.ClusterTransfer(ClusterNames.nodeId(key));
            case STABLE_REF -> new Request.StableRef(stableRef(Args.trim(key)));
        };
    }

    /** Parses the three lines of a request as text (for tools and tests; the server resolves bytes). */
    public static Request parse(String command, String key, String arg) throws ProtocolException {
        return parse(Command.lookup(command), key, arg);
    }

    /** The reference of {@code stable-ref}, already trimmed (as upstream trims it). */
    private static String stableRef(String ref) throws ProtocolException {
        if (!Request.StableRef.isValid(ref)) {
            throw new ProtocolException(ErrorCode.BAD_ARGUMENTS, "stable-ref must be 1-64 printable ASCII bytes");
        }
        return ref;
    }

    /** {@code kset}: {@code <value>} or {@code <value>\t<ttl>}; the value is 1 byte or more, without a tab. */
    private static Request.KvSet kvSet(String key, String arg) throws ProtocolException {
        int tab = arg.indexOf('\t');
        if (tab < 0) {
            if (arg.isEmpty()) {
                throw new ProtocolException(ErrorCode.BAD_ARGUMENTS, "kset needs a value");
            }
            return new Request.KvSet(key, arg, 0);
        }
        if (tab == 0 || arg.indexOf('\t', tab + 1) >= 0) {
            throw new ProtocolException(ErrorCode.BAD_ARGUMENTS, "kset takes <value>\\t<ttl> with a non-empty value and one tab");
        }
        return new Request.KvSet(key, arg.substring(0, tab), ttl(arg.substring(tab + 1)));
    }

    /** {@code kcas}: {@code <expected>\t<value>\t<ttl>}, exactly two tabs; the new value is not empty, the TTL may be. */
    private static Request.KvCas kvCas(String key, String arg) throws ProtocolException {
        int first = arg.indexOf('\t');
        int second = first < 0 ? -1 : arg.indexOf('\t', first + 1);
        if (second < 0 || arg.indexOf('\t', second + 1) >= 0 || second == first + 1) {
            throw new ProtocolException(ErrorCode.BAD_ARGUMENTS, "kcas takes <expected>\\t<value>\\t<ttl>");
        }
        String ttl = arg.substring(second + 1);
        return new Request.KvCas(key, arg.substring(0, first), arg.substring(first + 1, second),
                ttl.isEmpty() ? 0 : ttl(ttl));
    }

    /** A KV time to live: whole seconds, 0 (no expiry) to MAX_SECONDS, as a timeout. */
    private static long ttl(String s) throws ProtocolException {
        return Args.timeout(Args.trim(s));
    }

    /** An {@code lrange} index: a 32-bit signed integer. */
    private static int index(String s) throws ProtocolException {
        long v = Args.parseLong(s);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new ProtocolException(ErrorCode.NOT_AN_INTEGER, "index out of range");
        }
        return (int) v;
    }

    private static String token(String token) throws ProtocolException {
        if (token.isEmpty()) {
            throw new ProtocolException(ErrorCode.EMPTY_TOKEN, "empty token");
        }
        return token;
    }
}
