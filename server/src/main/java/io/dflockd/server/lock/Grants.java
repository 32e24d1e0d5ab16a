package io.dflockd.server.lock;

import java.util.ArrayList;

/**
 * Outcomes collected under a resource monitor for other connections' waits (hand-offs, timeouts),
 * delivered by {@link #deliver()} once the monitor is released, so that a listener never runs while a
 * resource is locked; and the work that leader pushes left for after the monitor (evictions).
 */
final class Grants {
    private ArrayList<Waiter> waiters;
    private ArrayList<Outcome> outcomes;
    private ArrayList<Runnable> after;

    /** Runs {@code work} in {@link #deliver()}, after the outcomes; {@code null} is ignored. */
    void after(Runnable work) {
        if (work == null) {
            return;
        }
        if (after == null) {
            after = new ArrayList<>(1);
        }
        after.add(work);
    }

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
        if (waiters != null) {
            for (int i = 0; i < waiters.size(); i++) {
                waiters.get(i).listener.onOutcome(outcomes.get(i));
            }
        }
        if (after != null) {
            after.forEach(Runnable::run);
        }
    }
}
