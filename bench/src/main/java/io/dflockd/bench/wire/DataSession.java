package io.dflockd.bench.wire;

import io.dflockd.protocol.Command;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.Status;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Function;

/**
 * A raw-socket connection for the data commands (counters, KV entries, lists: PROTOCOL.md
 * §6.16-6.18), the counterpart of {@link RawSession}: every byte sent comes from the protocol codec,
 * a request whose arguments stay the same is encoded once and resent, and a value that changes per
 * call (a KV value, a list item) goes through a {@link RequestTemplate}, so it must be ASCII. Replies
 * are read strictly by {@link DataReplies}; any other reply throws.
 */
public final class DataSession implements Connection {
    private final LineSocket io;
    private final Encoded incr = new Encoded();
    private final Encoded kget = new Encoded();
    private final Encoded blpop = new Encoded();
    private final KeyedTemplate kset = new KeyedTemplate(Command.KSET, (k, v) -> new Request.KvSet(k, v, 0));
    private final KeyedTemplate rpush = new KeyedTemplate(Command.RPUSH, (k, v) -> new Request.ListPush(k, v, false));

    private DataSession(LineSocket io) {
        this.io = io;
    }

    public static DataSession open(InetSocketAddress server) throws IOException {
        return new DataSession(LineSocket.connect(server));
    }

    /** {@code incr}: the counter's value after adding {@code delta}. */
    public long incr(String key, long delta) throws IOException {
        io.send(incr.of(new Request.CounterOp(Command.INCR, key, delta)));
        return read(Command.INCR, key, DataReplies::number);
    }

    /** {@code get}: the counter's value (0 when absent). */
    public long get(String key) throws IOException {
        io.send(Wire.encode(new Request.CounterOp(Command.GET, key, 0)));
        return read(Command.GET, key, DataReplies::number);
    }

    /** {@code kset} without a TTL; {@code value} must be ASCII, 1 byte or more, without a tab. */
    public void kset(String key, CharSequence value) throws IOException {
        io.send(kset.of(key), value);
        io.expect(Status.OK, kset.label(key));
    }

    /** {@code kget}: the entry's value, or {@code null} for {@code nil}. */
    public String kget(String key) throws IOException {
        io.send(kget.of(new Request.KvGet(key)));
        return read(Command.KGET, key, DataReplies::valueOrNil);
    }

    /** {@code kdel}. */
    public void kdel(String key) throws IOException {
        io.send(Wire.encode(new Request.KvDelete(key)));
        io.expect(Status.OK, Command.KDEL.wire() + " " + key);
    }

    /** {@code rpush} of an ASCII item: the list's length after it (0 when a blocked pop took it at once). */
    public long rpush(String key, CharSequence item) throws IOException {
        io.send(rpush.of(key), item);
        return read(Command.RPUSH, key, DataReplies::count);
    }

    /** {@code blpop}: the head item, or {@code null} when none came within the timeout. */
    public String blpop(String key, long timeoutSeconds) throws IOException {
        io.send(blpop.of(new Request.ListPop(key, true, true, timeoutSeconds)));
        return read(Command.BLPOP, key, DataReplies::valueOrNil);
    }

    /** {@code llen}: the list's length (0 when absent). */
    public long llen(String key) throws IOException {
        io.send(Wire.encode(new Request.ListLength(key)));
        return read(Command.LLEN, key, DataReplies::count);
    }

    /** Reads the next line and hands it to {@code reading}; a line it refuses becomes an IOException. */
    private <T> T read(Command command, String key, Function<String, T> reading) throws IOException {
        io.readLine();
        String line = io.lineText(0);
        try {
            return reading.apply(line);
        } catch (IllegalArgumentException e) {
            throw new IOException(command.wire() + " " + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        io.close();
    }

    /** A request encoded once and resent while the next one is equal to it. */
    private static final class Encoded {
        private Request last;
        private byte[] bytes;

        byte[] of(Request request) {
            if (!request.equals(last)) {
                bytes = Wire.encode(request);
                last = request;
            }
            return bytes;
        }
    }
}
