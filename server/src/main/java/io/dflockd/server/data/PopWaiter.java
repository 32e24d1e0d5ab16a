package io.dflockd.server.data;

import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.WaitListener;
import io.dflockd.server.time.Scheduler;

/** A {@code blpop}/{@code brpop} waiting for an item; its fields are guarded by its {@link Lists}' monitor. */
final class PopWaiter extends BlockedCall {
    final Lists lists;
    final String key;
    final LockOwner owner;
    final boolean left;
    final WaitListener listener;
    /** When the wait times out (the store's clock); kept so a snapshot can re-arm it. */
    long timeoutAt;
    Scheduler.Cancellable timeout = Scheduler.Cancellable.NONE;

    PopWaiter(Lists lists, String key, LockOwner owner, boolean left, WaitListener listener) {
        this.lists = lists;
        this.key = key;
        this.owner = owner;
        this.left = left;
        this.listener = listener;
    }

    @Override
    boolean withdraw() {
        return lists.withdraw(this);
    }
}
