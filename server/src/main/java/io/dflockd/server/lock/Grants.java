package io.dflockd.server.lock;

import java.util.ArrayList;

/**
 * Outcomes collected under a resource monitor for other connections' waits (hand-offs, timeouts),
 * delivered by {@link #deliver()} once the monitor is released, so that a listener never runs while a
 * resource is locked.
 */
final class Grants {
    private ArrayList<Waiter> waiters;
    private ArrayList<Outcome> outcomes;

    void add(Waiter w, Outcome o) {
        if (w.listener == null) {
            return; // a two-phase record nobody waits on yet: w will collect it
        }
        if (waiters == null) {
            waiters = new ArrayList<>(2);
            outcomes = new ArrayList<>(2);
        }
        waiters.add(w);
        outcomes.add(o);
    }

    void deliver() {
        if (waiters == null) {
            return;
        }
        for (int i = 0; i < waiters.size(); i++) {
            waiters.get(i).listener.onOutcome(outcomes.get(i));
        }
    }
}
