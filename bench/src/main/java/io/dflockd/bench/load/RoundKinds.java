package io.dflockd.bench.load;

import io.dflockd.protocol.LockKind;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which kind a shared-key worker acquires as in each round: always the same one (a lock, a
 * semaphore), or for a read-write lock {@link LockKind#READ} with probability {@code readFraction}
 * and {@link LockKind#WRITE} otherwise. The draw of worker {@code w} depends only on the seed and
 * {@code w}, so a run's sequence of reads and writes can be had again whatever the threads do.
 */
public record RoundKinds(LockKind fixed, double readFraction, long seed) {
    /** Spreads worker indexes across seeds (the golden-ratio increment {@link SplittableRandom} uses). */
    private static final long WORKER_STRIDE = 0x9E3779B97F4A7C15L;

    public RoundKinds {
        if (fixed == null) {
            if (!(readFraction >= 0 && readFraction <= 1)) {
                throw new IllegalArgumentException("read fraction must be in [0, 1], was " + readFraction);
            }
        } else if (fixed.readWrite()) {
            throw new IllegalArgumentException("a fixed kind is a lock or a semaphore, not " + fixed);
        }
    }

    /** Every round acquires as {@code kind} ({@link LockKind#LOCK} or {@link LockKind#SEMAPHORE}). */
    public static RoundKinds always(LockKind kind) {
        return new RoundKinds(kind, 0, 0);
    }

    /** Each round reads with probability {@code readFraction}, else writes. */
    public static RoundKinds readWrite(double readFraction, long seed) {
        return new RoundKinds(null, readFraction, seed);
    }

    /** Whether rounds go to either side of a read-write lock. */
    public boolean readWrite() {
        return fixed == null;
    }

    /** Every kind a round may acquire as. */
    public List<LockKind> possible() {
        return fixed == null ? List.of(LockKind.READ, LockKind.WRITE) : List.of(fixed);
    }

    /** The kinds of worker {@code worker}'s rounds, warm-up first, in order. */
    public Draw forWorker(int worker) {
        return new Draw(this, new SplittableRandom(seed + worker * WORKER_STRIDE));
    }

    /** One worker's sequence; not shared between threads. */
    public static final class Draw {
        private final RoundKinds kinds;
        private final SplittableRandom random;

        private Draw(RoundKinds kinds, SplittableRandom random) {
            this.kinds = kinds;
            this.random = random;
        }

        /** The next round's kind. */
        public LockKind next() {
            if (kinds.fixed != null) {
                return kinds.fixed;
            }
            return random.nextDouble() < kinds.readFraction ? LockKind.READ : LockKind.WRITE;
        }
    }
}
