package io.dflockd.server.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Subscription bookkeeping: duplicates, the cap, disconnect cleanup and stats (§9.2, §9.11, §10). */
class SignalSubscriptionTest {

    @Test
    void duplicateListenIsIdempotent() {
        SignalRouter router = new SignalRouter(0);
        FakeSubscriber s = new FakeSubscriber("s");
        assertThat(router.listen(s, "a.*", "g")).isEqualTo(ListenResult.OK);
        assertThat(router.listen(s, "a.*", "g")).isEqualTo(ListenResult.OK);

        assertThat(router.subscriptionCount(s)).isEqualTo(1);
        assertThat(router.stats()).containsExactly(new ChannelStat("a.*", "g", 1));
        assertThat(router.publish("a.b", "x")).isEqualTo(1);
        assertThat(router.publish("a.b", "x")).isEqualTo(1);
        assertThat(s.received()).isEqualTo(2);
    }

    @Test
    void capCountsDistinctSubscriptionsAndIgnoresDuplicates() {
        SignalRouter router = new SignalRouter(2);
        FakeSubscriber s = new FakeSubscriber("s");
        assertThat(router.listen(s, "a", "")).isEqualTo(ListenResult.OK);
        assertThat(router.listen(s, "a", "g")).isEqualTo(ListenResult.OK); // another subscription
        assertThat(router.listen(s, "b", "")).isEqualTo(ListenResult.CAP_REACHED);
        assertThat(router.listen(s, "a", "g")).isEqualTo(ListenResult.OK); // duplicate at the cap
        assertThat(router.subscriptionCount(s)).isEqualTo(2);
        assertThat(router.publish("b", "x")).isZero();

        router.unlisten(s, "a", "");
        assertThat(router.listen(s, "b", "")).isEqualTo(ListenResult.OK);
        assertThat(router.publish("b", "x")).isEqualTo(1);
    }

    @Test
    void capIsPerConnection() {
        SignalRouter router = new SignalRouter(1);
        FakeSubscriber s1 = new FakeSubscriber("s1");
        FakeSubscriber s2 = new FakeSubscriber("s2");
        assertThat(router.listen(s1, "a", "")).isEqualTo(ListenResult.OK);
        assertThat(router.listen(s2, "a", "")).isEqualTo(ListenResult.OK);
        assertThat(router.listen(s1, "b", "")).isEqualTo(ListenResult.CAP_REACHED);
    }

    @Test
    void zeroMeansUnlimitedAndNegativeIsRejected() {
        SignalRouter router = new SignalRouter(0);
        FakeSubscriber s = new FakeSubscriber("s");
        for (int i = 0; i < 1000; i++) {
            assertThat(router.listen(s, "c." + i, "")).isEqualTo(ListenResult.OK);
        }
        assertThat(router.subscriptionCount(s)).isEqualTo(1000);
        assertThatThrownBy(() -> new SignalRouter(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void removeAllDropsEverySubscriptionAndGroupMembership() {
        SignalRouter router = new SignalRouter(0);
        FakeSubscriber gone = new FakeSubscriber("gone");
        FakeSubscriber stays = new FakeSubscriber("stays");
        router.listen(gone, "a.b", "");
        router.listen(gone, "a.*", "");
        router.listen(gone, "x.>", "w");
        router.listen(gone, "only.gone.*.deep", "");
        router.listen(stays, "x.>", "w");
        router.listen(stays, "a.b", "");

        router.removeAll(gone);

        assertThat(router.subscriptionCount(gone)).isZero();
        assertThat(router.connectionCount()).isEqualTo(1);
        assertThat(router.stats()).containsExactlyInAnyOrder(
                new ChannelStat("a.b", null, 1), new ChannelStat("x.>", "w", 1));
        assertThat(router.publish("a.b", "x")).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            assertThat(router.publish("x.y", "x")).isEqualTo(1);
        }
        assertThat(router.publish("only.gone.z.deep", "x")).isZero();
        assertThat(gone.received()).isZero();
        assertThat(stays.received()).isEqualTo(4);
        // Only the nodes still in use remain: a, a.b, x, x.>.
        assertThat(router.nodeCount()).isEqualTo(4);

        router.removeAll(stays);
        router.removeAll(stays); // idempotent
        assertThat(router.stats()).isEmpty();
        assertThat(router.nodeCount()).isZero();
        assertThat(router.connectionCount()).isZero();
    }

    @Test
    void prunedNodesDoNotDisturbSiblings() {
        SignalRouter router = new SignalRouter(0);
        FakeSubscriber s = new FakeSubscriber("s");
        router.listen(s, "a.b.c", "");
        router.listen(s, "a.b", "");
        router.listen(s, "a.*.c", "");
        router.unlisten(s, "a.b.c", "");

        assertThat(router.nodeCount()).isEqualTo(4); // a, a.b, a.*, a.*.c
        assertThat(router.publish("a.b", "x")).isEqualTo(1);
        assertThat(router.publish("a.b.c", "x")).isEqualTo(1);
        router.unlisten(s, "a.b", "");
        router.unlisten(s, "a.*.c", "");
        assertThat(router.nodeCount()).isZero();
    }

    @Test
    void statsHaveOneEntryPerChannelPatternAndGroup() {
        SignalRouter router = new SignalRouter(0);
        FakeSubscriber s1 = new FakeSubscriber("s1");
        FakeSubscriber s2 = new FakeSubscriber("s2");
        router.listen(s1, "events.user.login", "");
        router.listen(s2, "events.user.login", "");
        router.listen(s1, "events.>", "");
        router.listen(s1, "events.>", "workers");
        router.listen(s2, "events.>", "workers");
        router.listen(s2, "events.>", "audit");
        router.listen(s2, "a..b", "");

        assertThat(router.stats()).containsExactlyInAnyOrder(
                new ChannelStat("events.user.login", null, 2),
                new ChannelStat("events.>", null, 1),
                new ChannelStat("events.>", "workers", 2),
                new ChannelStat("events.>", "audit", 1),
                new ChannelStat("a..b", null, 1));
    }

    @Test
    void emptyRouterHasNoStats() {
        assertThat(new SignalRouter(0).stats()).isEmpty();
    }
}
