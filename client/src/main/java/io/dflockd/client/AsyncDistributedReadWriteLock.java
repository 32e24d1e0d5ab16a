package io.dflockd.client;

import io.dflockd.protocol.LockKind;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link CompletableFuture} form of {@link DistributedReadWriteLock}, built with
 * {@code DistributedReadWriteLock.builder(key)…buildAsync()}: {@link #read()} and {@link #write()}
 * are the two sides, each an {@link AsyncDistributedPrimitive} with its own connection. Same
 * semantics (many readers or one writer, strict FIFO, no upgrade or downgrade), renewal, leak
 * detection, threads and cancellation as {@link AsyncDistributedLock}.
 *
 * <pre>{@code
 * AsyncDistributedReadWriteLock rw = DistributedReadWriteLock.builder("catalog").buildAsync();
 * rw.read().acquire().thenAccept(held -> { if (held) { … rw.read().release(); } });
 * }</pre>
 */
public final class AsyncDistributedReadWriteLock implements AutoCloseable {
    private final Side read;
    private final Side write;

    AsyncDistributedReadWriteLock(LeaseCore readCore, LeaseCore writeCore) {
        this.read = new Side(readCore);
        this.write = new Side(writeCore);
    }

    /** The key. */
    public String key() {
        return read.key();
    }

    /** The server that owns the key. */
    public InetSocketAddress server() {
        return read.server();
    }

    /** The read side: shared with other readers. Always the same object. */
    public Side read() {
        return read;
    }

    /** The write side: alone on the key. Always the same object. */
    public Side write() {
        return write;
    }

    /** Releases what either side holds and closes both for good; blocks briefly for the releases. Idempotent. */
    @Override
    public void close() {
        try {
            read.close();
        } finally {
            write.close();
        }
    }

    @Override
    public String toString() {
        return "AsyncDistributedReadWriteLock[" + read + ", " + write + "]";
    }

    /** One side of an {@link AsyncDistributedReadWriteLock}; {@link #close()} closes this side for good. */
    public static final class Side extends AsyncDistributedPrimitive {
        private Side(LeaseCore core) {
            super(core);
        }

        /** Whether this is the write side. */
        public boolean isWrite() {
            return core.kind == LockKind.WRITE;
        }

        /** Acquires this side with the configured timeout; completes with it, or with {@link AcquireTimeoutException}. */
        @Override
        public CompletableFuture<Side> acquireOrThrow() {
            return acquireOrFail(this);
        }
    }
}
