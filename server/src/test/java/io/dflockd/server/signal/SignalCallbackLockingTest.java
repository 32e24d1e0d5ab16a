package io.dflockd.server.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link Subscriber#offer} and {@link Subscriber#evict} must never run while the router holds a
 * lock: each callback here needs the router's write side from another thread and would time out if
 * the publishing thread held it.
 */
class SignalCallbackLockingTest {

    @Test
    void offerAndEvictRunWithoutRouterLocks() throws Exception {
        SignalRouter router = new SignalRouter(0);
        FakeSubscriber other = new FakeSubscriber("other");
        AtomicReference<Throwable> failure = new AtomicReference<>();

        Subscriber listening = new Subscriber() {
            @Override
            public long connectionId() {
                return 1;
            }

            @Override
            public boolean offer(byte[] frame) {
                onOtherThread(() -> router.listen(other, "late", ""), failure);
                return true;
            }

            @Override
            public void evict(String reason) {
            }
        };
        Subscriber evicted = new Subscriber() {
            @Override
            public long connectionId() {
                return 2;
            }

            @Override
            public boolean offer(byte[] frame) {
                return false;
            }

            @Override
            public void evict(String reason) {
                // What a server does in the end: the close triggers cleanup.
                onOtherThread(() -> router.removeAll(this), failure);
            }
        };
        router.listen(listening, "a", "");
        router.listen(evicted, "a", "");

        assertThat(router.publish("a", "x")).isEqualTo(1);

        assertThat(failure.get()).isNull();
        assertThat(router.subscriptionCount(evicted)).isZero();
        assertThat(router.subscriptionCount(other)).isEqualTo(1);
    }

    private static void onOtherThread(Runnable r, AtomicReference<Throwable> failure) {
        try {
            CompletableFuture.runAsync(r).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        }
    }
}
