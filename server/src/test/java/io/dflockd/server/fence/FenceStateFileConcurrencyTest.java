package io.dflockd.server.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrency, persistence failures and cross-process locking of {@link FenceStateFile}. */
class FenceStateFileConcurrencyTest {

    @TempDir
    Path dir;

    @Test
    void concurrentCallsAcrossRangeBoundariesStayUniqueAndBelowThePersistedCeiling() throws Exception {
        Path file = dir.resolve("fence.state");
        int threads = 4;
        int perThread = 10_000;
        long range = 64;
        long[][] got;
        try (FenceStateFile f = FenceStateFile.open(file, () -> 1000L, range)) {
            got = ClockSeededFenceAllocatorTest.collectConcurrently(f, threads, perThread);
        }
        long[] all = new long[threads * perThread];
        for (int t = 0; t < threads; t++) {
            for (int i = 1; i < perThread; i++) {
                assertThat(got[t][i]).as("thread %d call %d", t, i).isGreaterThan(got[t][i - 1]);
            }
            System.arraycopy(got[t], 0, all, t * perThread, perThread);
        }
        Arrays.sort(all);
        for (int i = 1; i < all.length; i++) {
            assertThat(all[i]).as("duplicate fence").isNotEqualTo(all[i - 1]);
        }
        long max = all[all.length - 1];
        long ceiling = JournalFiles.newestCeiling(file);
        assertThat(all[0]).isGreaterThan(1000L);
        assertThat(ceiling).isGreaterThan(max).isLessThanOrEqualTo(max + range);
        // Nothing fails here, so no value is skipped.
        assertThat(max - all[0] + 1).isEqualTo(all.length);
    }

    /** Storage that can be told to fail, and remembers the highest durable ceiling. */
    private static final class FlakyStore implements CeilingStore {
        volatile long durable;
        volatile boolean failAlways;
        final AtomicInteger calls = new AtomicInteger();
        int failEvery; // fail every n-th call when > 0

        @Override
        public void persist(long ceiling) throws IOException {
            int call = calls.incrementAndGet();
            if (failAlways || (failEvery > 0 && call % failEvery == 0)) {
                throw new IOException("disk on fire");
            }
            assertThat(ceiling).as("ceiling only grows").isGreaterThan(durable);
            durable = ceiling;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aPersistenceFailureFailsTheCallAndItsValueIsNeverReturned() throws Exception {
        FlakyStore store = new FlakyStore();
        try (FenceStateFile f = new FenceStateFile(store, "test", 100, 10)) {
            assertThat(store.durable).isEqualTo(110);
            for (long expected = 101; expected <= 109; expected++) {
                assertThat(f.next()).isEqualTo(expected);
            }
            store.failAlways = true;
            assertThatThrownBy(f::next).isInstanceOf(FenceException.class)
                    .hasMessage("cannot persist fence ceiling to test: disk on fire");
            assertThatThrownBy(f::next).isInstanceOf(FenceException.class);
            store.failAlways = false;
            assertThat(f.next()).isEqualTo(112); // 110 and 111 are burnt
            assertThat(store.durable).isEqualTo(122);
        }
    }

    @Test
    void concurrentCallsWithIntermittentFailuresNeverReturnAValueAboveTheDurableCeiling() throws Exception {
        FlakyStore store = new FlakyStore();
        store.failEvery = 3;
        ConcurrentLinkedQueue<long[]> perThread = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        try (FenceStateFile f = new FenceStateFile(store, "test", 0, 8)) {
            CountDownLatch start = new CountDownLatch(1);
            Thread[] workers = new Thread[4];
            for (int t = 0; t < workers.length; t++) {
                workers[t] = new Thread(() -> {
                    long[] out = new long[20_000];
                    int n = 0;
                    awaitQuietly(start);
                    for (int i = 0; i < out.length; i++) {
                        try {
                            long fence = f.next();
                            // durable only grows, so this check after the fact is conservative
                            assertThat(fence).isLessThan(store.durable);
                            out[n++] = fence;
                        } catch (FenceException e) {
                            failures.incrementAndGet();
                        }
                    }
                    perThread.add(Arrays.copyOf(out, n));
                });
                workers[t].start();
            }
            start.countDown();
            for (Thread w : workers) {
                w.join(TimeUnit.SECONDS.toMillis(60));
            }
        }
        assertThat(perThread).hasSize(4); // a worker that threw an AssertionError adds nothing
        assertThat(failures.get()).isPositive();
        long[] all = perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        for (long[] seq : perThread) {
            for (int i = 1; i < seq.length; i++) {
                assertThat(seq[i]).isGreaterThan(seq[i - 1]);
            }
        }
        for (int i = 1; i < all.length; i++) {
            assertThat(all[i]).isNotEqualTo(all[i - 1]);
        }
        assertThat(all.length + failures.get()).isEqualTo(4 * 20_000);
    }

    @Test
    void anotherProcessIsRefusedWhileOpenEvenAfterARefusedOpenInThisJvm() throws Exception {
        Path file = dir.resolve("fence.state");
        try (FenceStateFile f = FenceStateFile.open(file, () -> 0L)) {
            // A naive second open in this JVM would open and close a descriptor of the file,
            // which silently drops the POSIX lock; the child process would then get it.
            assertThatThrownBy(() -> FenceStateFile.open(file, () -> 0L)).hasMessageContaining("locked");
            assertThat(probe(file)).as("child JVM exit status while locked").isEqualTo(2);
        }
        assertThat(probe(file)).as("child JVM exit status after close").isEqualTo(0);
    }

    @Test
    void anInterruptedCallerDoesNotBreakTheAllocator() throws Exception {
        // Interrupted channel I/O would close the file (and drop its lock) for every caller.
        Path file = dir.resolve("fence.state");
        try (FenceStateFile f = FenceStateFile.open(file, () -> 100L, 2)) {
            assertThat(f.next()).isEqualTo(101);
            Thread.currentThread().interrupt();
            try {
                assertThat(f.next()).isEqualTo(102); // crosses the boundary: write + fsync
            } finally {
                assertThat(Thread.interrupted()).as("interrupt status preserved").isTrue();
            }
            assertThat(f.next()).isEqualTo(103);
            assertThat(f.next()).isEqualTo(104); // another write, on a clean thread
            assertThat(JournalFiles.newestCeiling(file)).isEqualTo(106);
            assertThatThrownBy(() -> FenceStateFile.open(file, () -> 0L)).hasMessageContaining("locked");
        }
    }

    private static int probe(Path file) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockProbe.class.getName(), file.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("probe output: %s", output).isIn(0, 2);
        return p.exitValue();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
