package io.dflockd.soak;

import static org.assertj.core.api.Assertions.assertThat;

/** What the in-suite soaks assert: green, and every kind of work and check actually happened. */
final class SoakAssertions {
    private SoakAssertions() {
    }

    /**
     * A green run with at least two restarts, every operation and ending, grants, fenced writes, and
     * every check (a soak that did nothing would also be green), and all {@code servers} clean at the end.
     */
    static void greenWithEveryKindOfWork(SoakResult result, int servers) {
        assertThat(result.violation()).as(result.summary()).isNull();
        assertThat(result.counter("restarts")).isGreaterThanOrEqualTo(2);
        assertThat(result.sum("op.")).isGreaterThan(200);
        for (String op : new String[] {"op.l", "op.sl", "op.rl", "op.wl", "op.e", "op.se", "op.re", "op.we", "op.w",
            "op.r", "op.rr", "op.wr", "op.elect", "op.resign", "op.n", "op.abrupt_disconnect", "forced_expiries"}) {
            assertThat(result.counter(op)).as(op).isPositive();
        }
        assertThat(result.counter("outcome.granted")).isPositive();
        assertThat(result.counter("writes.accepted")).isPositive();
        assertThat(result.counter("checks.overlap")).isPositive();
        assertThat(result.counter("checks.fence")).isPositive();
        assertThat(result.counter("checks.fifo_pairs")).isPositive();
        assertThat(result.counter("checks.leader_events")).isPositive();
        assertThat(result.counter("signals.deliveries_checked")).isPositive();
        assertThat(result.counter("data.rounds")).as("verified data rounds").isPositive();
        assertThat(result.counter("checks.data_watch_events")).isPositive();
        assertThat(result.counter("checks.quiesce_servers_clean")).isEqualTo(servers);
        assertThat(result.counter("overlaps")).isZero();
    }
}
