package io.dflockd.server.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The delivery algorithm and delivered count of PROTOCOL.md §9.6 and queue groups of §9.7. */
class SignalDeliveryTest {
    private final SignalRouter router = new SignalRouter(0);

    @Test
    void connectionOnTwoMatchingWildcardsGetsOneUngroupedCopy() {
        FakeSubscriber s = new FakeSubscriber("s");
        router.listen(s, "a.*", "");
        router.listen(s, "a.>", "");

        assertThat(router.publish("a.b", "x")).isEqualTo(1);
        assertThat(s.lines()).containsExactly("sig a.b x\n");
    }

    @Test
    void exactPlusWildcardUngroupedGetsOneCopy() {
        FakeSubscriber s = new FakeSubscriber("s");
        router.listen(s, "a.b", "");
        router.listen(s, "a.*", "");
        router.listen(s, ">", "");

        assertThat(router.publish("a.b", "x")).isEqualTo(1);
        assertThat(s.received()).isEqualTo(1);
    }

    @Test
    void deDuplicationIsPerConnectionNotGlobal() {
        FakeSubscriber s1 = new FakeSubscriber("s1");
        FakeSubscriber s2 = new FakeSubscriber("s2");
        router.listen(s1, "a.b", "");
        router.listen(s2, "a.*", "");
        router.listen(s1, "a.>", "");

        assertThat(router.publish("a.b", "x")).isEqualTo(2);
        assertThat(s1.received()).isEqualTo(1);
        assertThat(s2.received()).isEqualTo(1);
    }

    @Test
    void ungroupedListenerAndGroupMemberGetsTwoCopies() {
        FakeSubscriber s = new FakeSubscriber("s");
        router.listen(s, "a.b", "");
        router.listen(s, "a.b", "g");

        assertThat(router.publish("a.b", "x")).isEqualTo(2);
        assertThat(s.lines()).containsExactly("sig a.b x\n", "sig a.b x\n");
    }

    @Test
    void memberOfTwoMatchingGroupsGetsOneCopyPerGroup() {
        FakeSubscriber s = new FakeSubscriber("s");
        router.listen(s, "a.*", "g");
        router.listen(s, "a.>", "g"); // same name, other pattern: an independent group

        assertThat(router.publish("a.b", "x")).isEqualTo(2);
        assertThat(s.received()).isEqualTo(2);
    }

    @Test
    void aGroupCountsOneWhateverItsSize() {
        List<FakeSubscriber> members = List.of(new FakeSubscriber("m1"), new FakeSubscriber("m2"),
                new FakeSubscriber("m3"));
        members.forEach(m -> router.listen(m, "jobs", "workers"));
        FakeSubscriber plain = new FakeSubscriber("plain");
        router.listen(plain, "jobs", "");

        assertThat(router.publish("jobs", "x")).isEqualTo(2);
        assertThat(members.stream().mapToInt(FakeSubscriber::received).sum()).isEqualTo(1);
        assertThat(plain.received()).isEqualTo(1);
    }

    @Test
    void nobodyListeningDeliversZero() {
        router.listen(new FakeSubscriber("s"), "other", "");
        assertThat(router.publish("a.b", "x")).isZero();
    }

    @Test
    void roundRobinIsFairAndInJoinOrder() {
        FakeSubscriber a = new FakeSubscriber("a");
        FakeSubscriber b = new FakeSubscriber("b");
        FakeSubscriber c = new FakeSubscriber("c");
        for (FakeSubscriber m : List.of(a, b, c)) {
            router.listen(m, "jobs.*", "w");
        }
        List<FakeSubscriber> order = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int ra = a.received();
            int rb = b.received();
            assertThat(router.publish("jobs.x", "n" + i)).isEqualTo(1);
            order.add(a.received() > ra ? a : b.received() > rb ? b : c);
        }
        assertThat(a.received()).isEqualTo(100);
        assertThat(b.received()).isEqualTo(100);
        assertThat(c.received()).isEqualTo(100);
        for (int i = 0; i < 300; i++) {
            assertThat(order.get(i)).as("signal %d", i).isSameAs(List.of(a, b, c).get(i % 3));
        }
        assertThat(a.lines().get(1)).isEqualTo("sig jobs.x n3\n");
    }

    @Test
    void twoGroupsOnOnePatternAreIndependent() {
        FakeSubscriber a1 = new FakeSubscriber("a1");
        FakeSubscriber a2 = new FakeSubscriber("a2");
        FakeSubscriber b1 = new FakeSubscriber("b1");
        router.listen(a1, "e.*", "A");
        router.listen(a2, "e.*", "A");
        router.listen(b1, "e.*", "B");

        for (int i = 0; i < 4; i++) {
            assertThat(router.publish("e.x", "x")).isEqualTo(2);
        }
        assertThat(a1.received()).isEqualTo(2);
        assertThat(a2.received()).isEqualTo(2);
        assertThat(b1.received()).isEqualTo(4);
    }

    @Test
    void sameGroupNameOnTwoPatternsKeepsSeparateRoundRobins() {
        FakeSubscriber m1 = new FakeSubscriber("m1");
        FakeSubscriber m2 = new FakeSubscriber("m2");
        router.listen(m1, "e.x", "g");
        router.listen(m2, "e.x", "g");
        router.listen(m1, "e.*", "g");
        router.listen(m2, "e.*", "g");

        // Each group starts at its own first member, so m1 gets both copies of the first signal.
        assertThat(router.publish("e.x", "x")).isEqualTo(2);
        assertThat(m1.received()).isEqualTo(2);
        assertThat(m2.received()).isZero();
        // Only the wildcard group advances here.
        assertThat(router.publish("e.y", "x")).isEqualTo(1);
        assertThat(m2.received()).isEqualTo(1);
    }

    @Test
    void listsAreWalkedInSpecifiedOrder() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        router.listen(recorder("wildGroup", log), "a.*", "g");
        router.listen(recorder("wildPlain", log), "a.>", "");
        router.listen(recorder("exactGroup", log), "a.b", "g");
        router.listen(recorder("exactPlain", log), "a.b", "");

        assertThat(router.publish("a.b", "x")).isEqualTo(4);
        assertThat(log).containsExactly("exactPlain", "exactGroup", "wildPlain", "wildGroup");
    }

    @Test
    void unlistenStopsDeliveryAndNeedsTheSameGroup() {
        FakeSubscriber s = new FakeSubscriber("s");
        router.listen(s, "a.*", "g");
        router.unlisten(s, "a.*", "");       // different subscription: no-op
        router.unlisten(s, "a.b", "g");      // never subscribed: no-op
        assertThat(router.publish("a.b", "x")).isEqualTo(1);

        router.unlisten(s, "a.*", "g");
        assertThat(router.publish("a.b", "x")).isZero();
        assertThat(router.subscriptionCount(s)).isZero();
        assertThat(router.stats()).isEmpty();
        assertThat(router.nodeCount()).isZero();
    }

    @Test
    void leavingMemberKeepsTheOthersInJoinOrder() {
        FakeSubscriber a = new FakeSubscriber("a");
        FakeSubscriber b = new FakeSubscriber("b");
        FakeSubscriber c = new FakeSubscriber("c");
        for (FakeSubscriber m : List.of(a, b, c)) {
            router.listen(m, "q", "w");
        }
        router.unlisten(b, "q", "w");

        for (int i = 0; i < 4; i++) {
            router.publish("q", "x");
        }
        assertThat(a.received()).isEqualTo(2);
        assertThat(b.received()).isZero();
        assertThat(c.received()).isEqualTo(2);
        assertThat(router.stats()).containsExactly(new ChannelStat("q", "w", 2));
    }

    @Test
    void nullGroupMeansUngrouped() {
        FakeSubscriber s = new FakeSubscriber("s");
        router.listen(s, "a", null);
        assertThat(router.listen(s, "a", "")).isEqualTo(ListenResult.OK);
        assertThat(router.subscriptionCount(s)).isEqualTo(1);
        assertThat(router.stats()).containsExactly(new ChannelStat("a", null, 1));
        router.unlisten(s, "a", null);
        assertThat(router.subscriptionCount(s)).isZero();
    }

    private static Subscriber recorder(String name, List<String> log) {
        return new Subscriber() {
            @Override
            public long connectionId() {
                return name.hashCode();
            }

            @Override
            public boolean offer(byte[] frame) {
                log.add(name);
                return true;
            }

            @Override
            public void evict(String reason) {
                log.add("evict " + name);
            }
        };
    }
}
