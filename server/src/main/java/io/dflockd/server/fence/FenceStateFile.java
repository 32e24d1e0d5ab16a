package io.dflockd.server.fence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The allocator behind {@code --fence-state-file} (PROTOCOL.md §8.4): fences stay strictly
 * monotonic across restarts and crashes, whatever the wall clock does, because a ceiling above
 * every fence handed out is persisted before the fence is handed out, and a restart resumes at or
 * above the persisted ceiling.
 *
 * <p>The ceiling is reserved {@link #RANGE} values ahead, so the disk is touched (write + fsync)
 * once per {@code RANGE} fences; every other call is one atomic increment and one volatile read.
 * Up to {@code RANGE} values are skipped per restart.
 *
 * <p>The file is locked exclusively while open. Java locks are POSIX record locks: they do not
 * exclude processes using {@code flock} (such as the Go dflockd), and the OS drops them when this
 * process closes any descriptor of the file, so nothing else in the JVM may open the state file.
 */
public final class FenceStateFile implements FenceAllocator {
    /** Number of fences reserved by each persisted ceiling: 2^20. */
    public static final long RANGE = 1L << 20;

    private final CeilingStore store;
    private final String name;
    private final long range;
    private final AtomicLong counter;
    private final Object persistLock = new Object();
    /**
     * The persisted ceiling, or 0 once closed (which sends every caller to the slow path, where
     * the closed state is reported). It only grows while open, and is published only after the
     * ceiling is durable, so a fence below it is always below the ceiling on disk.
     */
    private volatile long limit;
    private boolean closed; // guarded by persistLock

    /**
     * Counter starts at {@code start}; persists {@code start + range} before returning.
     *
     * @throws IOException if the first ceiling cannot be persisted or the counter is exhausted
     */
    FenceStateFile(CeilingStore store, String name, long start, long range) throws IOException {
        if (range < 1 || start < 0) {
            throw new IllegalArgumentException("range must be >= 1 and start >= 0");
        }
        this.store = store;
        this.name = name;
        this.range = range;
        long ceiling = ceilingAbove(start, range);
        if (ceiling <= start) {
            throw new IOException("fence counter exhausted in state file " + name);
        }
        store.persist(ceiling);
        this.counter = new AtomicLong(start);
        this.limit = ceiling;
    }

    /**
     * Opens (or creates) and locks the state file at {@code path}, recovers the counter as
     * {@code max(persisted ceiling, wall clock)}, and durably reserves the first range.
     *
     * @param wallClockNanos Unix time in nanoseconds, see {@link FenceAllocators#wallClockNanos()}
     * @throws IOException if the file is locked by another process, cannot be locked, is corrupt,
     *     has an unexpected size, or cannot be written; the server must refuse to start
     */
    public static FenceStateFile open(Path path, LongSupplier wallClockNanos) throws IOException {
        return open(path, wallClockNanos, RANGE);
    }

    /** As {@link #open(Path, LongSupplier)} with a custom reservation size, for tests. */
    static FenceStateFile open(Path path, LongSupplier wallClockNanos, long range) throws IOException {
        FenceJournal journal = FenceJournal.open(path);
        try {
            long seed = Math.max(0L, wallClockNanos.getAsLong());
            OptionalLong persisted = journal.recoveredCeiling();
            if (persisted.isPresent() && persisted.getAsLong() < 0) {
                throw new IOException("fence state file " + path + " holds ceiling "
                        + Long.toUnsignedString(persisted.getAsLong())
                        + ", beyond the 63-bit fence range: fence counter exhausted");
            }
            long start = Math.max(persisted.orElse(0L), seed);
            FenceStateFile allocator = new FenceStateFile(journal, path.toString(), start, range);
            journal.syncDirectory(); // make a newly created file's directory entry durable too
            return allocator;
        } catch (IOException | RuntimeException e) {
            journal.close();
            throw e;
        }
    }

    @Override
    public long next() throws FenceException {
        long n = counter.incrementAndGet();
        // n > 0 guards the wrap past Long.MAX_VALUE; limit is read after the increment, so a value
        // below it is below a ceiling that was durable before this call saw it.
        if (n > 0 && n < limit) {
            return n;
        }
        return nextSlow(n);
    }

    private long nextSlow(long n) throws FenceException {
        if (n <= 0) {
            throw new FenceException("fence counter exhausted in state file " + name);
        }
        synchronized (persistLock) {
            if (closed) {
                throw new FenceException("fence state file " + name + " is closed");
            }
            if (n < limit) {
                return n; // another thread extended the ceiling while we waited for the lock
            }
            long ceiling = ceilingAbove(n, range);
            if (ceiling <= n) {
                throw new FenceException("fence counter exhausted in state file " + name);
            }
            try {
                store.persist(ceiling);
            } catch (IOException e) {
                // n is burnt, never returned: the next caller retries with a larger value.
                throw new FenceException("cannot persist fence ceiling to " + name + ": " + e.getMessage(), e);
            }
            limit = ceiling; // n >= old limit, so the ceiling only grows
            return n;
        }
    }

    /** Releases the file lock and closes the file; later {@link #next()} calls fail. Idempotent. */
    @Override
    public void close() {
        synchronized (persistLock) {
            if (closed) {
                return;
            }
            closed = true;
            limit = 0;
            store.close();
        }
    }

    @Override
    public String toString() {
        return "FenceStateFile[" + name + "]";
    }

    /** {@code n + range}, capped at {@link Long#MAX_VALUE} so fences stay positive. */
    private static long ceilingAbove(long n, long range) {
        return n > Long.MAX_VALUE - range ? Long.MAX_VALUE : n + range;
    }
}
