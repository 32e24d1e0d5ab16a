package io.dflockd.server.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Smoke test: publishers on several threads while other threads subscribe and unsubscribe. */
class SignalConcurrencyTest {
    private static final int PUBLISHERS = 4;
    private static final int SIGNALS_PER_PUBLISHER = 20_000;
    private static final String[] CHURN_PATTERNS = {"c.x", "c.>", "c.*", "d.*", "c.x.y"};
    private static final String[] CHURN_GROUPS = {"", "", "cg"};

    @Test
    void concurrentPublishAndChurnStayConsistent() throws Exception {
        SignalRouter router = new SignalRouter(0);
        List<FakeSubscriber> plain = List.of(new FakeSubscriber("p1"), new FakeSubscriber("p2"),
                new FakeSubscriber("p3"));
        plain.forEach(p -> router.listen(p, "c.x", ""));
        FakeSubscriber g1 = new FakeSubscriber("g1");
        FakeSubscriber g2 = new FakeSubscriber("g2");
        router.listen(g1, "c.*", "w");
        router.listen(g2, "c.*", "w");
        List<ChannelStat> statsBefore = router.stats();
        int nodesBefore = router.nodeCount();

        List<FakeSubscriber> churners = new ArrayList<>();
        AtomicLong deliveredTotal = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch publishersDone = new CountDownLatch(PUBLISHERS);
        ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS + 2);
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < PUBLISHERS; t++) {
                futures.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    try {
                        for (int i = 0; i < SIGNALS_PER_PUBLISHER; i++) {
                            int n = router.publish("c.x", "m");
                            // 3 stable listeners + the stable group; churners add at most
                            // 10 connections and the groups "cg" on c.x, c.> and c.*. More
                            // would mean a duplicate copy or a group counted twice.
                            assertThat(n).isBetween(4, 4 + 10 + 3);
                            deliveredTotal.addAndGet(n);
                        }
                    } finally {
                        publishersDone.countDown();
                    }
                    return null;
                }));
            }
            for (int t = 0; t < 2; t++) {
                List<FakeSubscriber> mine = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    mine.add(new FakeSubscriber("churn" + t + "-" + i));
                }
                churners.addAll(mine);
                long seed = 42 + t;
                futures.add(pool.submit((Callable<Void>) () -> {
                    start.await();
                    churn(router, mine, new Random(seed), publishersDone);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS); // rethrows any assertion failure or exception
            }
        } finally {
            pool.shutdownNow();
        }

        int total = PUBLISHERS * SIGNALS_PER_PUBLISHER;
        for (FakeSubscriber p : plain) {
            assertThat(p.received()).as("%s", p).isEqualTo(total);
        }
        // Every round-robin start is taken exactly once, so the two members split evenly.
        assertThat(g1.received()).isEqualTo(total / 2);
        assertThat(g2.received()).isEqualTo(total / 2);
        long framesEverywhere = g1.received() + g2.received();
        for (FakeSubscriber s : plain) {
            framesEverywhere += s.received();
        }
        for (FakeSubscriber s : churners) {
            framesEverywhere += s.received();
            assertThat(router.subscriptionCount(s)).isZero();
            assertThat(s.evictions()).isEmpty();
        }
        assertThat(deliveredTotal.get()).isEqualTo(framesEverywhere);
        assertThat(router.stats()).containsExactlyInAnyOrderElementsOf(statsBefore);
        assertThat(router.nodeCount()).isEqualTo(nodesBefore);
        assertThat(router.connectionCount()).isEqualTo(5);
    }

    /** Random listens/unlistens/disconnects until the publishers finish, then leaves nothing behind. */
    private static void churn(SignalRouter router, List<FakeSubscriber> subs, Random rnd,
            CountDownLatch publishersDone) {
        int ops = 0;
        while (publishersDone.getCount() > 0 || ops < 2_000) {
            FakeSubscriber s = subs.get(rnd.nextInt(subs.size()));
            String pattern = CHURN_PATTERNS[rnd.nextInt(CHURN_PATTERNS.length)];
            String group = CHURN_GROUPS[rnd.nextInt(CHURN_GROUPS.length)];
            int op = rnd.nextInt(10);
            if (op < 5) {
                assertThat(router.listen(s, pattern, group)).isEqualTo(ListenResult.OK);
            } else if (op < 9) {
                router.unlisten(s, pattern, group);
            } else {
                router.removeAll(s);
            }
            ops++;
        }
        subs.forEach(router::removeAll);
    }
}
