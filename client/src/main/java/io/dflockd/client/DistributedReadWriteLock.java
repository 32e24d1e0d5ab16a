package io.dflockd.client;

import io.dflockd.protocol.LockKind;
import java.net.InetSocketAddress;
import java.util.concurrent.locks.ReadWriteLock;

/**
 * A distributed read-write lock on one key (PROTOCOL.md §6.14): many readers or one writer at a
 * time, in one strict FIFO queue where a queued writer makes every later reader wait, so writers
 * never starve (§7.11). Every grant, read or write, has its own token, lease and fencing token;
 * fences increase in grant order, so a writer granted after readers has a larger fence than each.
 *
 * <p>The two sides are leased primitives of their own: {@link #reader()} and {@link #writer()} have
 * the whole {@link DistributedPrimitive} API (acquire with a timeout, two-phase enqueue/await, token,
 * fence, background renewal, lease-lost reporting), each with its own connection.
 * {@link #readLock()} and {@link #writeLock()} are their {@link java.util.concurrent.locks.Lock}
 * views ({@link DistributedPrimitive#asLock()}: reentrant per thread, one owner thread at a time).
 *
 * <pre>{@code
 * try (DistributedReadWriteLock rw = DistributedReadWriteLock.builder("catalog").build()) {
 *     if (rw.reader().acquire()) {          // shared with other readers
 *         try { … } finally { rw.reader().release(); }
 *     }
 *     Lock write = rw.writeLock();           // java.util.concurrent.locks.Lock
 *     write.lock();
 *     try { … } finally { write.unlock(); }
 * }
 * }</pre>
 *
 * <p><b>Differences from {@link java.util.concurrent.locks.ReentrantReadWriteLock}.</b>
 * <ul>
 *   <li><b>No upgrade, no downgrade.</b> The server does not know that two grants belong to one
 *       process: asking for the write side while this process holds the read side (or the other
 *       way round) waits for that hold to end, like any other request. JUC's lock does not upgrade
 *       either (it deadlocks); unlike JUC, a write holder cannot take the read side. A side's
 *       {@code acquire()} gives up after the acquire timeout (false), {@code tryLock(time, unit)}
 *       after its time; the Lock views' {@code lock()} waits for as long as it takes, as JUC's.
 *       Release the one side before asking for the other.
 *   <li><b>One thread per side and instance.</b> Like every {@code asLock()} view, {@link #readLock()}
 *       has one owner thread at a time; other threads of this JVM wait for it locally. For several
 *       concurrent readers in one process use one instance per reader (each its own connection and
 *       grant).
 * </ul>
 *
 * <p><b>Connection model.</b> As {@link DistributedLock}, per side: the connection is opened by
 * {@code acquire}/{@code enqueue} and closed by {@code release}, {@code close} and timeouts; while a
 * side is held its lease is renewed in the background, and its loss is reported (log line, the
 * side's {@link DistributedPrimitive#leaseLost()}, the {@link LeaseLostListener}, called with the
 * lost grant's token). Against a cluster, each side follows redirects and keeps its grant through a
 * node's loss as a lock does.
 *
 * <p>The key is a read-write lock for as long as the server keeps it: a lock or semaphore request
 * on it fails with {@link TypeMismatchException}, as a read or write request does on a lock or
 * semaphore key. {@link #close()} closes both sides (releasing what they hold); closing one side
 * closes only that side, for good. Instances are thread-safe.
 */
public final class DistributedReadWriteLock implements ReadWriteLock, AutoCloseable {
    private final Side reader;
    private final Side writer;

    private DistributedReadWriteLock(LeaseCore readCore, LeaseCore writeCore) {
        this.reader = new Side(readCore);
        this.writer = new Side(writeCore);
    }

    /**
     * A builder for a read-write lock on {@code key} (non-empty, at most 256 UTF-8 bytes, no space,
     * TAB, CR, LF or NUL).
     */
    public static Builder builder(String key) {
        return new Builder(key);
    }

    /** The key. */
    public String key() {
        return reader.key();
    }

    /** The server that owns the key (chosen by the sharding strategy). */
    public InetSocketAddress server() {
        return reader.server();
    }

    /** The read side: shared with other readers. Always the same object. */
    public Side reader() {
        return reader;
    }

    /** The write side: alone on the key. Always the same object. */
    public Side writer() {
        return writer;
    }

    /** The {@link java.util.concurrent.locks.Lock} view of {@link #reader()}; see the class comment. */
    @Override
    public LockView readLock() {
        return reader.asLock();
    }

    /** The {@link java.util.concurrent.locks.Lock} view of {@link #writer()}; see the class comment. */
    @Override
    public LockView writeLock() {
        return writer.asLock();
    }

    /** Releases what either side holds and closes both for good; idempotent. */
    @Override
    public void close() {
        try {
            reader.close();
        } finally {
            writer.close();
        }
    }

    @Override
    public String toString() {
        return "DistributedReadWriteLock[" + reader + ", " + writer + "]";
    }

    /**
     * One side of a {@link DistributedReadWriteLock}: the read side ({@code rl rr rn re rw}) or the
     * write side ({@code wl wr wn we ww}), with the whole {@link DistributedPrimitive} API.
     * {@link #close()} closes this side for good.
     */
    public static final class Side extends DistributedPrimitive {
        private Side(LeaseCore core) {
            super(core);
        }

        /** Whether this is the write side. */
        public boolean isWrite() {
            return core.kind == LockKind.WRITE;
        }

        /**
         * Acquires this side with the configured timeout and returns it.
         *
         * @throws AcquireTimeoutException if not granted in time
         */
        @Override
        public Side acquireOrThrow() {
            acquireOrFail();
            return this;
        }
    }

    /** Builder of {@link DistributedReadWriteLock} and {@link AsyncDistributedReadWriteLock}; validates eagerly. */
    public static final class Builder extends LeaseBuilder<Builder> {
        private Builder(String key) {
            super(key);
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Builds a blocking read-write lock; no connection is opened yet. The settings apply to
         * both sides.
         *
         * @throws IllegalStateException if the sharding strategy maps the key outside the server list
         */
        public DistributedReadWriteLock build() {
            return registered(new DistributedReadWriteLock(core(LockKind.READ, 0), core(LockKind.WRITE, 0)));
        }

        /** Builds a {@link java.util.concurrent.CompletableFuture}-based read-write lock with the same settings. */
        public AsyncDistributedReadWriteLock buildAsync() {
            return registered(new AsyncDistributedReadWriteLock(core(LockKind.READ, 0), core(LockKind.WRITE, 0)));
        }
    }
}
