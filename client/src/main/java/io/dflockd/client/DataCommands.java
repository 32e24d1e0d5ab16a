package io.dflockd.client;

import io.dflockd.protocol.Command;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.Status;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The counter, KV, list and barrier commands (PROTOCOL.md §6.16-6.18, §6.20) of one
 * {@link DflockdConnection}, one method per command, named after it: {@code connection.data()}.
 * {@link DistributedCounter}, {@link DistributedMap}, {@link DistributedQueue} and
 * {@link DistributedBarrier} are built on it.
 *
 * <pre>{@code
 * try (DflockdConnection c = DflockdConnection.open(ClientConfig.defaults())) {
 *     long hits = c.data().incr("hits", 1);
 *     c.data().kset("config/mode", "blue", Duration.ofMinutes(5));
 *     Optional<String> mode = c.data().kget("config/mode");
 * }
 * }</pre>
 *
 * <p>Counters, entries, lists and barriers are four namespaces of their own, apart from each other and
 * from the locks. Values and items are 1 character or more without CR or LF (values also without a
 * tab), sent in UTF-8 and given back byte for byte; {@code nil} becomes {@link Optional#empty()}.
 * Errors are thrown as by the connection's other calls: {@link MaxKeysException} when a new key would
 * pass the server's {@code --max-keys}, {@link ListFullException}, {@link BarrierCountMismatchException},
 * {@link ServerErrorException} for an {@code error} (a counter that would overflow, for one).
 */
public final class DataCommands {
    private static final int CALL_TIMEOUT_MS = Durations.REPLY_GRACE_MS;

    private final DflockdConnection connection;

    DataCommands(DflockdConnection connection) {
        this.connection = connection;
    }

    // ---- counters (§6.16) ------------------------------------------------------------------

    /** Adds {@code delta} to the counter ({@code incr}, created at 0) and returns the new value. */
    public long incr(String key, long delta) {
        return number(new Request.CounterOp(Command.INCR, Validate.key(key), delta));
    }

    /** Subtracts {@code delta} from the counter ({@code decr}, created at 0) and returns the new value. */
    public long decr(String key, long delta) {
        return number(new Request.CounterOp(Command.DECR, Validate.key(key), delta));
    }

    /** The counter's value ({@code get}); 0 when it does not exist. */
    public long get(String key) {
        return number(new Request.CounterOp(Command.GET, Validate.key(key), 0));
    }

    /** Sets the counter to {@code value} ({@code cset}), creating it if needed. */
    public void cset(String key, long value) {
        ok(new Request.CounterOp(Command.CSET, Validate.key(key), value));
    }

    // ---- key-value entries (§6.17) ----------------------------------------------------------

    /**
     * Sets the entry ({@code kset}), replacing its value and TTL.
     *
     * @param ttl how long the entry lives, in whole seconds rounded up; {@code null} or zero: until deleted
     */
    public void kset(String key, String value, Duration ttl) {
        kset(ksetRequest(key, value, ttl));
    }

    /** {@link #kset} of a request built beforehand by {@link #ksetRequest}. */
    void kset(Request.KvSet req) {
        ok(req);
    }

    /** The {@code kset} request with its arguments checked: an async caller builds it before going to a worker. */
    static Request.KvSet ksetRequest(String key, String value, Duration ttl) {
        return Validate.argLine(new Request.KvSet(Validate.key(key), Validate.value(value, true), ttlSeconds(ttl)));
    }

    /** The entry's value ({@code kget}); empty when there is none (or its TTL ran out). */
    public Optional<String> kget(String key) {
        return value(new Request.KvGet(Validate.key(key)));
    }

    /** Deletes the entry ({@code kdel}); nothing happens when there is none. */
    public void kdel(String key) {
        ok(new Request.KvDelete(Validate.key(key)));
    }

    /**
     * Sets the entry to {@code value} only if it holds {@code expected} ({@code kcas}).
     *
     * @param expected the value the entry must hold, or {@code null}: only if there is no entry
     * @param ttl as for {@link #kset}
     * @return true when set; false on {@code cas_conflict}
     */
    public boolean kcas(String key, String expected, String value, Duration ttl) {
        return kcas(kcasRequest(key, expected, value, ttl));
    }

    /** {@link #kcas} of a request built beforehand by {@link #kcasRequest}. */
    boolean kcas(Request.KvCas req) {
        return connection.request(req, CALL_TIMEOUT_MS, (line, server, r) ->
                DataReplies.okOr(Status.CAS_CONFLICT, line, server, r));
    }

    /** The {@code kcas} request with its arguments checked, as {@link #ksetRequest}. */
    static Request.KvCas kcasRequest(String key, String expected, String value, Duration ttl) {
        return Validate.argLine(new Request.KvCas(Validate.key(key),
                expected == null ? "" : Validate.value(expected, true), Validate.value(value, true), ttlSeconds(ttl)));
    }

    // ---- lists (§6.18) ----------------------------------------------------------------------

    /** Adds {@code item} at the head ({@code lpush}); returns the length after, 0 if a blocked pop took it. */
    public long lpush(String key, String item) {
        return number(Validate.argLine(new Request.ListPush(Validate.key(key), Validate.value(item, false), true)));
    }

    /** Adds {@code item} at the tail ({@code rpush}); returns the length after, 0 if a blocked pop took it. */
    public long rpush(String key, String item) {
        return number(Validate.argLine(new Request.ListPush(Validate.key(key), Validate.value(item, false), false)));
    }

    /** Takes the head item ({@code lpop}); empty when the list is empty. */
    public Optional<String> lpop(String key) {
        return value(Request.ListPop.now(Validate.key(key), true));
    }

    /** Takes the tail item ({@code rpop}); empty when the list is empty. */
    public Optional<String> rpop(String key) {
        return value(Request.ListPop.now(Validate.key(key), false));
    }

    /**
     * Takes the head item ({@code blpop}), waiting up to {@code timeout} (whole seconds, rounded up;
     * zero: try once) for one; pops blocked on a key are served first come, first served.
     *
     * @return the item; empty when the timeout elapsed
     */
    public Optional<String> blpop(String key, Duration timeout) {
        return blockingPop(key, true, timeout);
    }

    /** Takes the tail item ({@code brpop}); see {@link #blpop}. */
    public Optional<String> brpop(String key, Duration timeout) {
        return blockingPop(key, false, timeout);
    }

    /** The list's length ({@code llen}); 0 when it does not exist. */
    public long llen(String key) {
        return number(new Request.ListLength(Validate.key(key)));
    }

    /**
     * The items {@code start..stop}, both included ({@code lrange}); negative indexes count from the end
     * (-1 is the last item), and the range is clamped to the list, so {@code (0, -1)} is the whole list.
     */
    public List<String> lrange(String key, int start, int stop) {
        Request req = new Request.ListRange(Validate.key(key), start, stop);
        return connection.request(req, CALL_TIMEOUT_MS, DataReplies::items);
    }

    // ---- barriers (§6.20) -------------------------------------------------------------------

    /**
     * Arrives at the barrier of {@code parties} ({@code bwait}) and waits up to {@code timeout} (whole
     * seconds, rounded up) for the others. A party that leaves first (its timeout, its connection
     * closed) breaks the barrier for every party waiting.
     *
     * @return true when all parties arrived; false when the barrier broke (a timeout, here or elsewhere)
     * @throws BarrierCountMismatchException if the barrier is filling with another number of parties
     */
    public boolean bwait(String key, int parties, Duration timeout) {
        long seconds = Durations.timeoutSeconds(timeout, "timeout");
        Request req = new Request.BarrierWait(Validate.key(key), Validate.parties(parties), seconds);
        return connection.request(req, Durations.replyTimeoutMs(seconds), (line, server, r) ->
                DataReplies.okOr(Status.TIMEOUT, line, server, r));
    }

    @Override
    public String toString() {
        return "DataCommands[" + connection + "]";
    }

    private Optional<String> blockingPop(String key, boolean left, Duration timeout) {
        long seconds = Durations.timeoutSeconds(timeout, "timeout");
        Request req = new Request.ListPop(Validate.key(key), left, true, seconds);
        return connection.request(req, Durations.replyTimeoutMs(seconds), DataReplies::value);
    }

    private long number(Request req) {
        return connection.request(req, CALL_TIMEOUT_MS, DataReplies::number);
    }

    private Optional<String> value(Request req) {
        return connection.request(req, CALL_TIMEOUT_MS, DataReplies::value);
    }

    private void ok(Request req) {
        connection.request(req, CALL_TIMEOUT_MS, (line, server, r) -> {
            Replies.ok(line, server, r);
            return null;
        });
    }

    /** A KV TTL in whole seconds, rounded up; {@code null} or zero: 0, no expiry. */
    private static long ttlSeconds(Duration ttl) {
        return ttl == null ? 0 : Durations.timeoutSeconds(ttl, "ttl");
    }
}
