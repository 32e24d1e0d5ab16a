package io.dflockd.server.lock;

import io.dflockd.protocol.LeaderFrame;
import io.dflockd.protocol.WatchFrame;
import java.util.Objects;

/**
 * Lock events that pass everything on to {@code base}: what an observer that adds one kind of event to
 * another's (leader observers, watchers) extends, overriding only its own methods, so that composing
 * them in any order loses nothing.
 */
public abstract class ForwardingLockEvents implements LockEvents {
    private final LockEvents base;

    protected ForwardingLockEvents(LockEvents base) {
        this.base = Objects.requireNonNull(base, "base");
    }

    @Override
    public void granted(int limit, long waitedNanos) {
        base.granted(limit, waitedNanos);
    }

    @Override
    public void released(int limit) {
        base.released(limit);
    }

    @Override
    public void expired(int limit) {
        base.expired(limit);
    }

    @Override
    public void timedOut(int limit) {
        base.timedOut(limit);
    }

    @Override
    public boolean watchesLeader(String key) {
        return base.watchesLeader(key);
    }

    @Override
    public Runnable leaderChanged(String key, LeaderFrame.Event event) {
        return base.leaderChanged(key, event);
    }

    @Override
    public boolean watchesKey(String key) {
        return base.watchesKey(key);
    }

    @Override
    public Runnable keyChanged(String key, WatchFrame.Event event) {
        return base.keyChanged(key, event);
    }
}
