package io.dflockd.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The queue's books find every way an item can go wrong: lost, popped twice, unknown, foreign. */
class QueueLedgerTest {
    private final QueueLedger ledger = new QueueLedger(2, 3);

    /** Producer 0 pushes its 3 items, producer 1 its first 2 (ids 0, 1, 2 and 3, 4). */
    private void pushAll(QueueLedger.Book producer0, QueueLedger.Book producer1) {
        for (int s = 0; s < 3; s++) {
            producer0.pushed(ledger.id(0, s));
        }
        for (int s = 0; s < 2; s++) {
            producer1.pushed(ledger.id(1, s));
        }
    }

    @Test
    void everyItemPoppedOnceIsClean() {
        pushAll(ledger.book(), ledger.book());
        QueueLedger.Book a = ledger.book();
        QueueLedger.Book b = ledger.book();
        a.popped("item-0");
        b.popped("item-4");
        a.popped("item-2");
        b.popped("item-1");
        a.popped("item-3");
        assertThat(ledger.problems()).isEmpty();
    }

    @Test
    void lostDuplicatedUnpushedAndForeignItemsAreEachReported() {
        pushAll(ledger.book(), ledger.book());
        QueueLedger.Book a = ledger.book();
        QueueLedger.Book b = ledger.book();
        a.popped("item-0");
        a.popped("item-0"); // twice by one consumer
        b.popped("item-0"); // and by another
        a.popped("item-1");
        a.popped("item-2");
        b.popped("item-5"); // producer 1's third item: its push was never answered
        b.popped("item-01");
        b.popped("job-3");
        assertThat(ledger.problems()).containsExactly(
                "2 pushed items were never popped, e.g. item-3",
                "1 items were popped without an answered push, e.g. item-5",
                "2 pops returned an item popped before",
                "2 pops returned an item no producer made, e.g. 'item-01'");
    }

    @Test
    void idsAreBoundedPerProducer() {
        assertThat(ledger.id(1, 2)).isEqualTo(5);
        assertThatThrownBy(() -> ledger.id(0, 3)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new QueueLedger(3, Integer.MAX_VALUE / 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too many to check");
    }
}
