package io.dflockd.server.signal;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.Subjects;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pattern matching (PROTOCOL.md §9.5) as observed through the router's deliveries. */
class SignalMatchingTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "a.b     | a.b      | true",
        "a.b     | a.c      | false",
        "a.b     | a.b.c    | false",
        "a.b     | a        | false",
        "a.*     | a.x      | true",
        "a.*     | a        | false",
        "a.*     | a.x.y    | false",
        "a.*     | b.x      | false",
        "a.*     | 'a.'     | true",
        "a.>     | a.x      | true",
        "a.>     | a.x.y.z  | true",
        "a.>     | a        | false",
        "a.>     | b.x      | false",
        "a.>     | 'a.'     | true",
        "*       | a        | true",
        "*       | a.b      | false",
        "*       | ''       | true",
        ">       | a        | true",
        ">       | a.b.c    | true",
        "*.b.>   | x.b.y    | true",
        "*.b.>   | x.b.y.z  | true",
        "*.b.>   | x.b      | false",
        "*.b.>   | x.c.y    | false",
        "a..b    | a..b     | true",
        "a..b    | a.b      | false",
        "a..b    | a.x.b    | false",
        "a.*.b   | a..b     | true",
        "*.*     | '.'      | true",
        "a.*.c   | a.b.c    | true",
        "a.*.c   | a.b.d    | false",
        "a.b.>   | a.b      | false",
        "ab      | a.b      | false",
    })
    void matchingTable(String pattern, String channel, boolean expected) {
        assertThat(Subjects.matches(pattern, channel)).as("oracle agrees with the table").isEqualTo(expected);
        SignalRouter router = new SignalRouter(0);
        FakeSubscriber s = new FakeSubscriber("s");
        router.listen(s, pattern, "");

        int delivered = router.publish(channel, "p");

        assertThat(delivered).isEqualTo(expected ? 1 : 0);
        assertThat(s.lines()).isEqualTo(expected ? List.of("sig " + channel + " p\n") : List.of());
    }

    @ParameterizedTest(name = "group on {0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "a.b   | a.b   | true",
        "a.*   | a.b   | true",
        "a.>   | a.b.c | true",
        "a.*   | a.b.c | false",
        "a.b   | a.c   | false",
    })
    void groupsMatchLikeUngrouped(String pattern, String channel, boolean expected) {
        SignalRouter router = new SignalRouter(0);
        FakeSubscriber s = new FakeSubscriber("s");
        router.listen(s, pattern, "g");

        assertThat(router.publish(channel, "p")).isEqualTo(expected ? 1 : 0);
        assertThat(s.received()).isEqualTo(expected ? 1 : 0);
    }

    /**
     * Property-style check against a straightforward model built on {@link Subjects#matches}:
     * random subscriptions (ungrouped and grouped, with duplicates and unlistens) and random
     * channels; the count and every connection's frames must equal the model's, including which
     * group member the round-robin picks.
     */
    @Test
    void agreesWithOracleOnRandomPatternsAndChannels() {
        Random rnd = new Random(0x5EED_2024L);
        for (int round = 0; round < 300; round++) {
            SignalRouter router = new SignalRouter(0);
            Model model = new Model();
            List<FakeSubscriber> subs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                subs.add(new FakeSubscriber("s" + i));
            }
            List<Object[]> listened = new ArrayList<>();
            for (int i = 0; i < 14; i++) {
                FakeSubscriber s = subs.get(rnd.nextInt(subs.size()));
                String pattern = randomPattern(rnd);
                String group = rnd.nextBoolean() ? "" : (rnd.nextBoolean() ? "g1" : "g2");
                assertThat(router.listen(s, pattern, group)).isEqualTo(ListenResult.OK);
                model.listen(s, pattern, group);
                listened.add(new Object[] {s, pattern, group});
            }
            for (int i = 0; i < 4; i++) {
                Object[] l = listened.get(rnd.nextInt(listened.size()));
                router.unlisten((FakeSubscriber) l[0], (String) l[1], (String) l[2]);
                model.unlisten((FakeSubscriber) l[0], (String) l[1], (String) l[2]);
            }
            Map<FakeSubscriber, Integer> expectedFrames = new HashMap<>();
            for (int i = 0; i < 25; i++) {
                String channel = randomChannel(rnd);
                int expected = model.publish(channel, expectedFrames);
                assertThat(router.publish(channel, "x"))
                        .as("round %d channel '%s' subs %s", round, channel, model.subs)
                        .isEqualTo(expected);
            }
            for (FakeSubscriber s : subs) {
                assertThat(s.received()).as("round %d frames of %s", round, s)
                        .isEqualTo(expectedFrames.getOrDefault(s, 0));
            }
        }
    }

    private static final String[] TOKENS = {"a", "b", "c", ""};

    private static String randomChannel(Random rnd) {
        int n = 1 + rnd.nextInt(4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(TOKENS[rnd.nextInt(TOKENS.length)]);
        }
        return sb.toString();
    }

    private static String randomPattern(Random rnd) {
        int n = 1 + rnd.nextInt(4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('.');
            }
            int pick = rnd.nextInt(10);
            if (pick < 3) {
                sb.append('*');
            } else if (pick == 3 && i == n - 1) {
                sb.append('>');
            } else {
                sb.append(TOKENS[rnd.nextInt(TOKENS.length)]);
            }
        }
        String p = sb.toString();
        assertThat(Subjects.isValidPattern(p)).as(p).isTrue();
        return p;
    }

    /** Reference model of §9.6/§9.7: linear scan with the oracle, groups in join order. */
    private static final class Model {
        /** (subscriber, pattern, group) in subscription order, without duplicates. */
        final Set<List<Object>> subs = new LinkedHashSet<>();
        final Map<List<String>, Long> counters = new HashMap<>();

        void listen(FakeSubscriber s, String pattern, String group) {
            subs.add(List.of(s, pattern, group));
        }

        void unlisten(FakeSubscriber s, String pattern, String group) {
            subs.remove(List.of(s, pattern, group));
            if (members(pattern, group).isEmpty()) {
                counters.remove(List.of(pattern, group)); // an empty group disappears
            }
        }

        List<FakeSubscriber> members(String pattern, String group) {
            List<FakeSubscriber> out = new ArrayList<>();
            for (List<Object> sub : subs) {
                if (sub.get(1).equals(pattern) && sub.get(2).equals(group)) {
                    out.add((FakeSubscriber) sub.get(0));
                }
            }
            return out;
        }

        int publish(String channel, Map<FakeSubscriber, Integer> frames) {
            Set<FakeSubscriber> ungrouped = new LinkedHashSet<>();
            Set<List<String>> groups = new LinkedHashSet<>();
            for (List<Object> sub : subs) {
                String pattern = (String) sub.get(1);
                String group = (String) sub.get(2);
                if (!Subjects.matches(pattern, channel)) {
                    continue;
                }
                if (group.isEmpty()) {
                    ungrouped.add((FakeSubscriber) sub.get(0));
                } else {
                    groups.add(List.of(pattern, group));
                }
            }
            for (FakeSubscriber s : ungrouped) {
                frames.merge(s, 1, Integer::sum);
            }
            for (List<String> g : groups) {
                List<FakeSubscriber> members = members(g.get(0), g.get(1));
                long start = counters.merge(g, 1L, Long::sum) - 1;
                frames.merge(members.get((int) (start % members.size())), 1, Integer::sum);
            }
            return ungrouped.size() + groups.size();
        }
    }
}
