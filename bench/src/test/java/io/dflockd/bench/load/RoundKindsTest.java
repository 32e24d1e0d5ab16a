package io.dflockd.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.protocol.LockKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The read/write choice of the rwlock workload, and the shared-key workload's parameter checks. */
class RoundKindsTest {

    private static List<LockKind> draws(RoundKinds kinds, int worker, int n) {
        RoundKinds.Draw d = kinds.forWorker(worker);
        List<LockKind> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(d.next());
        }
        return out;
    }

    @Test
    void theSameSeedAndWorkerGiveTheSameSequence() {
        RoundKinds kinds = RoundKinds.readWrite(0.8, 7);
        assertThat(draws(kinds, 3, 500)).isEqualTo(draws(RoundKinds.readWrite(0.8, 7), 3, 500));
        assertThat(draws(kinds, 3, 500)).as("another worker").isNotEqualTo(draws(kinds, 4, 500));
        assertThat(draws(kinds, 3, 500)).as("another seed").isNotEqualTo(draws(RoundKinds.readWrite(0.8, 8), 3, 500));
    }

    @Test
    void theFractionIsTheShareOfReads() {
        long reads = draws(RoundKinds.readWrite(0.8, 1), 0, 20_000).stream().filter(k -> k == LockKind.READ).count();
        assertThat(reads).isBetween(15_700L, 16_300L); // 0.8 of 20k, ±5 sigma (sigma ≈ 57)
        assertThat(draws(RoundKinds.readWrite(1, 1), 0, 1000)).containsOnly(LockKind.READ);
        assertThat(draws(RoundKinds.readWrite(0, 1), 0, 1000)).containsOnly(LockKind.WRITE);
    }

    @Test
    void aFixedKindIsEveryRound() {
        RoundKinds lock = RoundKinds.always(LockKind.LOCK);
        assertThat(lock.readWrite()).isFalse();
        assertThat(lock.possible()).containsExactly(LockKind.LOCK);
        assertThat(draws(lock, 0, 10)).containsOnly(LockKind.LOCK);
        assertThat(RoundKinds.readWrite(0.5, 1).possible()).containsExactly(LockKind.READ, LockKind.WRITE);
    }

    @Test
    void badKindsAreRefused() {
        assertThatThrownBy(() -> RoundKinds.readWrite(1.01, 1)).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> RoundKinds.readWrite(Double.NaN, 1)).hasMessageContaining("[0, 1]");
        assertThatThrownBy(() -> RoundKinds.always(LockKind.READ)).hasMessageContaining("not READ");
    }

    @Test
    void onlyASemaphoreHasALimit() {
        assertThatThrownBy(() -> new SharedKeyWorkload.Params(1, 1, RoundKinds.always(LockKind.SEMAPHORE), 0, 1, 0, "k"))
                .hasMessageContaining("needs a limit");
        assertThatThrownBy(() -> new SharedKeyWorkload.Params(1, 1, RoundKinds.readWrite(0.5, 1), 2, 1, 0, "k"))
                .hasMessageContaining("only a semaphore");
        assertThat(SharedKeyWorkload.name(RoundKinds.readWrite(0.5, 1))).isEqualTo("rwlock");
        assertThat(SharedKeyWorkload.name(RoundKinds.always(LockKind.LOCK))).isEqualTo("contended");
        assertThat(SharedKeyWorkload.name(RoundKinds.always(LockKind.SEMAPHORE))).isEqualTo("semaphore");
    }
}
