package io.dflockd.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.LockKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-key history checker on hand-made legal and illegal histories (times in seconds from 0). */
class HistoryCheckerTest {
    private static final long S = 1_000_000_000L;
    private final List<KeyHistories.Grant> history = new ArrayList<>();

    /** A grant of {@code key} with {@code fence}: requested at {@code sent}, read at {@code read}, known live until {@code end}. */
    private void grant(int limit, long fence, String token, double sent, double read, double end) {
        grant(limit == 1 ? LockKind.LOCK : LockKind.SEMAPHORE, limit, fence, token, sent, read, end);
    }

    private void grant(LockKind kind, int limit, long fence, String token, double sent, double read, double end) {
        Hold h = new Hold("k", kind, limit, 0, 0, 0, token, fence, "c" + fence, (long) (read * S), (long) (end * S));
        history.add(new KeyHistories.Grant(h, (long) (sent * S)));
    }

    private String check() {
        return HistoryChecker.check("k", history, h -> h.end, 0);
    }

    @Test
    void readersOverlapEachOtherButAWriterOverlapsNobody() {
        grant(LockKind.READ, 0, 10, "r1", 0, 1, 10);
        grant(LockKind.READ, 0, 20, "r2", 2, 3, 12); // a second reader while the first holds: legal
        assertThat(check()).isNull();
        grant(LockKind.WRITE, 0, 30, "w", 4, 11, 20); // granted while r2 was certainly held
        assertThat(check()).contains("read-write").contains("1 earlier grant(s)").contains("c20");
    }

    @Test
    void aReaderGrantedWhileAWriterIsCertainlyHeldIsAViolation() {
        grant(LockKind.WRITE, 0, 10, "w", 0, 1, 10);
        grant(LockKind.READ, 0, 20, "r", 2, 5, 15);
        assertThat(check()).contains("c10");
    }

    @Test
    void aWriterAfterTheReadersEndedIsLegal() {
        grant(LockKind.READ, 0, 10, "r1", 0, 1, 10);
        grant(LockKind.READ, 0, 20, "r2", 0, 2, 9);
        grant(LockKind.WRITE, 0, 30, "w", 3, 10.5, 20);
        grant(LockKind.READ, 0, 40, "r3", 11, 20.5, 30);
        assertThat(check()).isNull();
    }

    @Test
    void holdersOneAfterAnotherInFenceOrderAreLegal() {
        grant(1, 20, "b", 9.5, 10, 19);
        grant(1, 10, "a", 0, 1, 10);
        grant(1, 30, "c", 12, 19.5, 25); // requested while b held, granted after b's known end
        assertThat(check()).isNull();
    }

    @Test
    void aLockGrantedWhileAnEarlierHolderIsCertainlyLiveIsAViolation() {
        grant(1, 10, "a", 0, 1, 10);
        grant(1, 20, "b", 2, 9, 15);
        assertThat(check()).startsWith("on key k (limit 1) [c20").contains("1 earlier grant(s) were certainly held")
                .contains("[c10");
    }

    @Test
    void aSemaphoreHoldsItsLimitButNotOneMore() {
        grant(2, 10, "a", 0, 1, 10);
        grant(2, 20, "b", 0, 2, 10);
        assertThat(check()).isNull();
        grant(2, 30, "c", 3, 4, 10);
        assertThat(check()).contains("(limit 2)").contains("2 earlier grant(s)");
    }

    @Test
    void aHolderWhoseLeaseMayHaveEndedDoesNotCount() {
        grant(1, 10, "a", 0, 1, 4); // e.g. released at 4, or its lease known live only until then
        grant(1, 20, "b", 3, 5, 9);
        assertThat(check()).isNull();
    }

    @Test
    void aLowerFenceForALaterRequestIsAViolation() {
        grant(1, 20, "a", 0, 1, 2);
        grant(1, 10, "b", 3, 4, 5);
        assertThat(check()).contains("was received before").contains("yet has the higher fence");
    }

    @Test
    void concurrentRequestsMayLinearizeEitherWay() {
        grant(2, 20, "a", 0, 3, 5);
        grant(2, 10, "b", 1, 2, 5);
        assertThat(check()).isNull();
    }

    @Test
    void reusedFencesAndTokensAreViolations() {
        grant(2, 10, "a", 0, 1, 2);
        grant(2, 10, "b", 3, 4, 5);
        assertThat(check()).isEqualTo("fence 10 granted twice on key k");
        history.clear();
        grant(2, 10, "a", 0, 1, 2);
        grant(2, 20, "a", 3, 4, 5);
        assertThat(check()).isEqualTo("token a granted twice on key k");
    }

    @Test
    void checkAllReportsTheFirstViolatingKeyToTheVerdict() {
        Verdict verdict = new Verdict();
        Metrics metrics = new Metrics();
        Incarnations incarnations = new Incarnations(1);
        KeyHistories histories = new KeyHistories();
        long t0 = System.nanoTime();
        histories.granted(new Hold("k", LockKind.LOCK, 1, 0, 0, 0, "a", 10, "c10", t0 + S, t0 + 10 * S), t0);
        histories.granted(new Hold("k", LockKind.LOCK, 1, 0, 0, 0, "b", 20, "c20", t0 + 2 * S, t0 + 12 * S), t0 + S);

        HistoryChecker.checkAll(histories, new LiveLedger(incarnations, verdict, metrics), verdict, metrics, t0);

        assertThat(verdict.firstViolation()).startsWith("history: on key k (limit 1)");
        assertThat(metrics.get("checks.history_keys")).isEqualTo(1);
        assertThat(metrics.get("checks.history_grants")).isEqualTo(2);
    }
}
