package io.dflockd.soak;

import io.dflockd.client.DataCommands;
import io.dflockd.client.DflockdConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * One round of {@link DataSoak}: {@value #PARTIES} parties, each on its own connection (in a cluster
 * through a random node, naming a stable reference: {@link PartyConnection}), meet at a barrier, then
 * together increment a counter, move items through a list (two producers, one consumer) and raise a
 * value by compare-and-swap. Every key is new to the round. What each party saw is recorded here and
 * checked by {@link #barrierViolation} and {@link #violation}.
 */
final class DataRound {
    static final int PARTIES = 3;
    static final int INCREMENTS = 10;
    static final int ITEMS_PER_PRODUCER = 10;
    static final int CAS_RAISES = 5;
    private static final Duration BARRIER_TIMEOUT = Duration.ofSeconds(10);
    /**
     * In a cluster a party whose {@code bwait} is lost re-sends it, and the barrier must wait for that:
     * a cut-off node answers {@code error} only after its 10 s request timeout, and the node the
     * re-send goes through may be electing a leader meanwhile. So the others wait well beyond that.
     */
    private static final Duration CLUSTER_BARRIER_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The arrivals are staggered by up to this, so that an early release would show; in a cluster by
     * more, so that a fault finds parties waiting at the barrier (the re-send path) more often.
     */
    private static final int STAGGER_MILLIS = 200;
    private static final int CLUSTER_STAGGER_MILLIS = 6000;
    private static final Duration POP_TIMEOUT = Duration.ofSeconds(5);

    final String prefix;
    final String barrierKey;
    final String counterKey;
    final String listKey;
    final String casKey;
    private final long[] barrierSent = new long[PARTIES];
    private final long[] barrierAnswered = new long[PARTIES];
    private final boolean[] barrierTripped = new boolean[PARTIES];
    /** Whether the party's {@code bwait} was answered (possibly after a re-send). */
    private final boolean[] barrierDone = new boolean[PARTIES];
    /** Whether the party re-sent its {@code bwait} through another node. */
    private final boolean[] barrierResent = new boolean[PARTIES];
    private final Duration barrierTimeout;
    private final int staggerMillis;
    final List<Long> counterValues = Collections.synchronizedList(new ArrayList<>());
    final List<String> popped = Collections.synchronizedList(new ArrayList<>());
    private volatile int casRaises;
    private volatile long casFinal = -1;
    private volatile long listLeft = -1;

    DataRound(long round, boolean cluster) {
        barrierTimeout = cluster ? CLUSTER_BARRIER_TIMEOUT : BARRIER_TIMEOUT;
        staggerMillis = cluster ? CLUSTER_STAGGER_MILLIS : STAGGER_MILLIS;
        prefix = "soak.data." + round;
        barrierKey = prefix + ".barrier";
        counterKey = prefix + ".counter";
        listKey = prefix + ".list";
        casKey = prefix + ".cas";
    }

    /**
     * What party {@code party} does in the round, on its own connection. Its arrival is its first
     * {@code bwait} send: a re-send counted as a second party would trip the barrier before the last
     * distinct party arrived.
     */
    void play(int party, PartyConnection conn, Random rnd) throws InterruptedException {
        Thread.sleep(rnd.nextInt(staggerMillis));
        barrierSent[party] = System.nanoTime();
        barrierTripped[party] = conn.bwait(barrierKey, PARTIES, barrierTimeout);
        barrierAnswered[party] = System.nanoTime();
        barrierResent[party] = conn.resent();
        barrierDone[party] = true;
        DataCommands data = conn.connection().data();
        for (int i = 0; i < INCREMENTS; i++) {
            counterValues.add(data.incr(counterKey, 1));
        }
        if (party < 2) {
            for (int i = 0; i < ITEMS_PER_PRODUCER; i++) {
                data.rpush(listKey, "p" + party + "-" + i);
            }
        } else {
            for (int i = 0; i < 2 * ITEMS_PER_PRODUCER; i++) {
                Optional<String> item = data.blpop(listKey, POP_TIMEOUT);
                if (item.isEmpty()) {
                    break;
                }
                popped.add(item.get());
            }
        }
        for (int i = 0; i < CAS_RAISES; i++) {
            raise(data);
        }
    }

    private void raise(DataCommands data) {
        while (true) {
            Optional<String> current = data.kget(casKey);
            long value = current.map(Long::parseLong).orElse(0L);
            if (data.kcas(casKey, current.orElse(null), Long.toString(value + 1), Duration.ZERO)) {
                synchronized (this) {
                    casRaises++;
                }
                return;
            }
        }
    }

    /** After every party finished: the final reads, then the keys are emptied for collection. */
    void settle(DflockdConnection conn) {
        DataCommands data = conn.data();
        casFinal = data.kget(casKey).map(Long::parseLong).orElse(0L);
        listLeft = data.llen(listKey);
        data.kdel(casKey);
        data.cset(counterKey, 0);
    }

    /** How many parties re-sent their {@code bwait} through another node. */
    int barrierResends() {
        int n = 0;
        for (boolean r : barrierResent) {
            n += r ? 1 : 0;
        }
        return n;
    }

    /** Whether every party's {@code bwait} was answered, so that the barrier can be checked. */
    boolean barrierAnswered() {
        for (boolean done : barrierDone) {
            if (!done) {
                return false;
            }
        }
        return true;
    }

    /**
     * The barrier's broken invariant, or {@code null}; call only when {@link #barrierAnswered}. Only a
     * fault explains a barrier that timed out for every party (a paused or cut-off leader can hold a
     * trip past the parties' timeouts), and not when a party re-sent its {@code bwait}: the re-send
     * exists to carry the party through the fault. A barrier that released some parties and not
     * others, or released one early, is broken whatever happened.
     */
    String barrierViolation(boolean faultOverlapped) {
        long lastArrival = 0;
        int tripped = 0;
        for (int p = 0; p < PARTIES; p++) {
            lastArrival = p == 0 ? barrierSent[p] : Math.max(lastArrival, barrierSent[p]);
            tripped += barrierTripped[p] ? 1 : 0;
        }
        int resends = barrierResends();
        String resent = resends == 0 ? "" : " (" + resends + " re-sent through another node)";
        if (tripped < PARTIES && (tripped > 0 || !faultOverlapped || resends > 0)) {
            return "barrier " + barrierKey + ": " + tripped + " of " + PARTIES + " parties released, all present"
                    + resent;
        }
        for (int p = 0; p < PARTIES; p++) {
            if (barrierTripped[p] && barrierAnswered[p] - lastArrival < 0) {
                return "barrier " + barrierKey + ": party " + p + " was released before the last party arrived"
                        + resent;
            }
        }
        return null;
    }

    /**
     * The first broken invariant of the rest of the round's replies (after the barrier), or {@code null}.
     */
    String violation(boolean faultOverlapped) {
        List<Long> values = new ArrayList<>(counterValues);
        Collections.sort(values);
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) != i + 1) {
                return "counter " + counterKey + ": increments answered " + values + ", not 1.." + values.size();
            }
        }
        String list = listViolation(faultOverlapped);
        if (list != null) {
            return list;
        }
        if (casFinal != casRaises || casRaises != PARTIES * CAS_RAISES) {
            return "kcas " + casKey + ": " + casRaises + " successful raises left the value at " + casFinal;
        }
        return null;
    }

    /**
     * Every item popped at most once, each producer's items in the order it pushed them, and none
     * lost: what was popped and what is left make up what was pushed. Only a fault explains a consumer
     * that gave up before the end (a paused leader holds its pops past their timeout).
     */
    private String listViolation(boolean faultOverlapped) {
        int[] next = new int[2];
        for (String item : popped) {
            int producer = item.charAt(1) - '0';
            int seq = Integer.parseInt(item.substring(3));
            if (seq != next[producer]) {
                return "list " + listKey + ": popped " + item + " where p" + producer + "-" + next[producer]
                        + " was next (popped: " + popped + ")";
            }
            next[producer]++;
        }
        int pushed = 2 * ITEMS_PER_PRODUCER;
        if (popped.size() + listLeft != pushed || listLeft > 0 && !faultOverlapped) {
            return "list " + listKey + ": popped " + popped.size() + " of " + pushed + " items, " + listLeft
                    + " left in the list";
        }
        return null;
    }

    /** The watch events the round's changes make, by event word (reads and barriers make none). */
    static final List<String> EVENTS = List.of("incr", "rpush", "blpop", "kcas", "kdel", "cset");

    /** How many watch events of each kind the round's successful commands made. */
    int expectedEvents(String event) {
        return switch (event) {
            case "incr" -> PARTIES * INCREMENTS;
            case "rpush" -> 2 * ITEMS_PER_PRODUCER;
            case "blpop" -> popped.size();
            case "kcas" -> PARTIES * CAS_RAISES;
            case "kdel", "cset" -> 1; // settle
            default -> 0;
        };
    }
}
