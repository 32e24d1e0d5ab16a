package io.dflockd.server.data;

import io.dflockd.protocol.WatchFrame;
import io.dflockd.server.lock.LockEvents;
import io.dflockd.server.lock.Outcome;
import io.dflockd.server.lock.WaitListener;
import java.util.ArrayList;

/**
 * Work decided under a namespace's monitor that must run after it is released: the outcomes of
 * other connections' blocking calls (a listener never runs under a monitor) and what watch pushes
 * leave behind (evicting a slow consumer, {@link LockEvents#keyChanged}).
 */
final class Afterwards {
    private ArrayList<Runnable> work;

    /** Runs {@code task} in {@link #run()}; {@code null} is ignored. */
    void add(Runnable task) {
        if (task == null) {
            return;
        }
        if (work == null) {
            work = new ArrayList<>(2);
        }
        work.add(task);
    }

    /** Hands {@code outcome} to {@code listener} once the monitor is released. */
    void deliver(WaitListener listener, Outcome outcome) {
        add(() -> listener.onOutcome(outcome));
    }

    /** Pushes the change of {@code key} to its watchers, if any; call under the key's monitor. */
    void keyChanged(LockEvents events, String key, WatchFrame.Event event) {
        if (events.watchesKey(key)) {
            add(events.keyChanged(key, event));
        }
    }

    /** Call once, after releasing the monitor. */
    void run() {
        if (work != null) {
            work.forEach(Runnable::run);
        }
    }
}
