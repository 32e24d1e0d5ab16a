package io.dflockd.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.Request;
import java.util.List;

/**
 * Two replicas applying the same entries, the second restored from its own snapshot before every
 * entry: each entry must give equal outcomes and byte-identical snapshots. Stamps in whole seconds
 * unless given in nanoseconds.
 */
final class ReplicaPair {
    static final long S = 1_000_000_000L;

    final Replica a = new Replica();
    private final Replica b = new Replica();
    private long seed;

    void apply(long stampSeconds, ClusterCommand... commands) {
        applyAt(stampSeconds * S, commands);
    }

    void applyAt(long stampNanos, ClusterCommand... commands) {
        byte[] entry = Replica.entry(stampNanos, ++seed, commands);
        a.apply(1, entry);
        b.restart();
        b.apply(1, entry);
        assertThat(b.out).isEqualTo(a.out);
        assertThat(b.pushes).isEqualTo(a.pushes);
        assertThat(b.snapshot()).isEqualTo(a.snapshot());
    }

    static ClusterCommand op(SessionKey s, long seq, Request r) {
        return new ClusterCommand.Op(s, seq, r);
    }

    /** What {@code s} was delivered, in order. */
    List<Delivered> of(SessionKey s) {
        return a.out.stream().filter(d -> d.session().equals(s)).toList();
    }

    /** The last outcome delivered to {@code s}, or {@code null}. */
    Delivered last(SessionKey s) {
        List<Delivered> mine = of(s);
        return mine.isEmpty() ? null : mine.get(mine.size() - 1);
    }
}
