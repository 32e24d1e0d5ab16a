package io.dflockd.soak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a partitioned node may answer, and the majority side's progress count. */
class PartitionWatchTest {
    private final Verdict verdict = new Verdict();
    private final PartitionWatch watch = new PartitionWatch(3, verdict);

    @Test
    void aGrantNeedingACommitFromTheCutOffNodeIsAViolation() {
        long before = System.nanoTime();
        watch.isolated(1);
        long after = System.nanoTime();

        watch.granted(1, before, true, "l sent before the cut");
        watch.granted(1, after, false, "w answered from an earlier commit");
        watch.granted(0, after, true, "l through the majority side");
        assertThat(verdict.firstViolation()).isNull();

        watch.granted(1, after, true, "client#1 l/sl k");
        assertThat(verdict.firstViolation()).isEqualTo("grant from a cut-off node: client#1 l/sl k was granted"
                + " through node n2, which had been cut off from its peers before the request was sent");
    }

    @Test
    void afterTheHealTheNodeGrantsAgainAndGrantsAreCountedPerSide() {
        watch.isolated(2);
        watch.healing();
        watch.granted(2, System.nanoTime(), true, "l after the heal");
        watch.granted(0, System.nanoTime(), true, "l");
        watch.granted(1, System.nanoTime(), true, "l");

        assertThat(verdict.firstViolation()).isNull();
        assertThat(watch.grantsAvoiding(2)).isEqualTo(2);
        assertThat(watch.grantsAvoiding(0)).isEqualTo(2);
    }
}
