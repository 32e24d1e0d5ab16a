package io.dflockd.server.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Slow consumers (PROTOCOL.md §9.9) and the group fall-through of §9.7. */
class SlowConsumerTest {
    private final SignalRouter router = new SignalRouter(0);

    @Test
    void fullUngroupedListenerIsEvictedAndNotCounted() {
        FakeSubscriber slow = FakeSubscriber.full("slow");
        FakeSubscriber fast = new FakeSubscriber("fast");
        router.listen(slow, "a.b", "");
        router.listen(fast, "a.b", "");

        assertThat(router.publish("a.b", "x")).isEqualTo(1);
        assertThat(fast.received()).isEqualTo(1);
        assertThat(slow.received()).isZero();
        assertThat(slow.evictions()).containsExactly(Fanout.SLOW_CONSUMER);
        assertThat(fast.evictions()).isEmpty();
    }

    @Test
    void queueFillsUpThenEvicts() {
        FakeSubscriber s = new FakeSubscriber("s", 2);
        router.listen(s, "a", "");
        assertThat(router.publish("a", "1")).isEqualTo(1);
        assertThat(router.publish("a", "2")).isEqualTo(1);
        assertThat(s.evictions()).isEmpty();
        assertThat(router.publish("a", "3")).isZero();
        assertThat(s.evictions()).hasSize(1);
    }

    @Test
    void slowConnectionIsTriedAndEvictedOncePerSignal() {
        FakeSubscriber slow = FakeSubscriber.full("slow");
        router.listen(slow, "a.b", "");
        router.listen(slow, "a.*", "");
        router.listen(slow, ">", "");
        router.listen(slow, "a.>", "g");

        assertThat(router.publish("a.b", "x")).isZero();
        assertThat(slow.offers()).isEqualTo(2); // one ungrouped attempt, one for the group
        assertThat(slow.evictions()).hasSize(1);
    }

    @Test
    void fullFirstChoiceFallsThroughToTheNextMember() {
        FakeSubscriber a = FakeSubscriber.full("a");
        FakeSubscriber b = new FakeSubscriber("b");
        FakeSubscriber c = new FakeSubscriber("c");
        for (FakeSubscriber m : List.of(a, b, c)) {
            router.listen(m, "q", "w");
        }

        assertThat(router.publish("q", "x")).isEqualTo(1); // first choice a is full -> b
        assertThat(b.received()).isEqualTo(1);
        assertThat(c.received()).isZero();
        assertThat(a.evictions()).isEmpty();
        assertThat(router.publish("q", "x")).isEqualTo(1); // first choice b
        assertThat(b.received()).isEqualTo(2);
    }

    @Test
    void fallThroughWrapsAroundToTheFirstMember() {
        FakeSubscriber a = new FakeSubscriber("a");
        FakeSubscriber b = new FakeSubscriber("b");
        FakeSubscriber c = FakeSubscriber.full("c");
        for (FakeSubscriber m : List.of(a, b, c)) {
            router.listen(m, "q", "w");
        }
        router.publish("q", "1"); // a
        router.publish("q", "2"); // b
        assertThat(router.publish("q", "3")).isEqualTo(1); // c full -> wraps to a

        assertThat(a.lines()).containsExactly("sig q 1\n", "sig q 3\n");
        assertThat(c.evictions()).isEmpty();
    }

    @Test
    void allMembersFullEvictsOnlyTheFirstChoice() {
        FakeSubscriber a = FakeSubscriber.full("a");
        FakeSubscriber b = FakeSubscriber.full("b");
        FakeSubscriber c = FakeSubscriber.full("c");
        for (FakeSubscriber m : List.of(a, b, c)) {
            router.listen(m, "q", "w");
        }

        assertThat(router.publish("q", "x")).isZero();
        assertThat(a.evictions()).hasSize(1);
        assertThat(b.evictions()).isEmpty();
        assertThat(c.evictions()).isEmpty();
        assertThat(a.offers() + b.offers() + c.offers()).isEqualTo(3);

        assertThat(router.publish("q", "x")).isZero(); // the counter moved on: b is first choice
        assertThat(b.evictions()).hasSize(1);
        assertThat(c.evictions()).isEmpty();
    }

    @Test
    void fullGroupDoesNotStopOtherReceivers() {
        FakeSubscriber member = FakeSubscriber.full("member");
        FakeSubscriber plain = new FakeSubscriber("plain");
        router.listen(member, "a.*", "w");
        router.listen(plain, "a.*", "");

        assertThat(router.publish("a.b", "x")).isEqualTo(1);
        assertThat(plain.received()).isEqualTo(1);
        assertThat(member.evictions()).hasSize(1);
    }
}
