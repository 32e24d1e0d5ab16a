package io.dflockd.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.client.LeaderEvent.Kind;
import io.dflockd.soak.LeaderWatch.State;
import org.junit.jupiter.api.Test;

/** The leadership state machine that observed leader events must follow (PROTOCOL.md §7.12). */
class LeaderWatchTest {
    /** The state after {@code kinds} from an unknown one, or {@code null} at the first impossible step. */
    private static State walk(Kind... kinds) {
        State s = State.UNKNOWN;
        for (Kind k : kinds) {
            s = LeaderWatch.next(s, k);
            if (s == null) {
                return null;
            }
        }
        return s;
    }

    @Test
    void legalHistoriesWalkThrough() {
        assertThat(walk(Kind.ELECTED, Kind.RESIGNED, Kind.FAILOVER, Kind.FAILOVER, Kind.LOST, Kind.ELECTED,
                Kind.RESIGNED, Kind.ELECTED)).isEqualTo(State.LED);
        assertThat(walk(Kind.LOST, Kind.ELECTED)).isEqualTo(State.LED);
        assertThat(walk(Kind.RESIGNED, Kind.FAILOVER)).isEqualTo(State.LED);
        assertThat(walk(Kind.ELECTED, Kind.RESIGNED)).isEqualTo(State.RESIGNED);
        assertThat(walk(Kind.FAILOVER, Kind.LOST)).isEqualTo(State.FREE);
    }

    @Test
    void aSecondElectedWhileLedIsALostOrInventedEvent() {
        assertThat(walk(Kind.ELECTED, Kind.ELECTED)).isNull();
        assertThat(walk(Kind.FAILOVER, Kind.ELECTED)).isNull();
    }

    @Test
    void nothingCanEndALeadershipThatIsNotThere() {
        assertThat(walk(Kind.LOST, Kind.LOST)).isNull();
        assertThat(walk(Kind.LOST, Kind.RESIGNED)).isNull();
        assertThat(walk(Kind.LOST, Kind.FAILOVER)).isNull();
        assertThat(walk(Kind.RESIGNED, Kind.RESIGNED)).isNull();
        assertThat(walk(Kind.RESIGNED, Kind.LOST)).isNull();
    }
}
