package io.dflockd.server.lock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** Records what a blocking call eventually receives. */
final class Inbox implements WaitListener {
    final List<Outcome> got = new ArrayList<>();

    @Override
    public void onOutcome(Outcome o) {
        got.add(o);
    }

    Outcome only() {
        assertThat(got).hasSize(1);
        return got.get(0);
    }
}
