package io.dflockd.bench.load;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The books of {@code data --op queue}: which items were pushed (answered) and which were popped,
 * so that the end of a run can tell whether every item was popped exactly once. Item {@code n} is
 * the text {@code item-<n>}; producer {@code p}'s items are {@code p × perProducer} onwards. Each
 * worker keeps its own {@link Book} (no locking on the hot path); {@link #problems} merges them.
 */
final class QueueLedger {
    static final String ITEM_PREFIX = "item-";

    private final int perProducer;
    private final List<Book> books = new ArrayList<>();

    /**
     * @param perProducer the most items one producer pushes (warm-up and timed rounds)
     * @throws IllegalArgumentException when the ids would not fit an int (the index of a BitSet)
     */
    QueueLedger(int producers, int perProducer) {
        if ((long) producers * perProducer > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--op queue: " + producers + " producers x " + perProducer
                    + " items (warm-up included) is too many to check");
        }
        this.perProducer = perProducer;
    }

    /** A new book for one worker; not thread-safe, one thread writes it. */
    synchronized Book book() {
        Book b = new Book();
        books.add(b);
        return b;
    }

    /** The id of producer {@code producer}'s item number {@code sequence}. */
    int id(int producer, int sequence) {
        if (sequence >= perProducer) {
            throw new IllegalStateException("producer " + producer + " pushes more than " + perProducer + " items");
        }
        return producer * perProducer + sequence;
    }

    /**
     * What went wrong, one line per kind of fault (empty when every pushed item was popped once and
     * nothing else was popped). Call after every worker finished.
     */
    synchronized List<String> problems() {
        BitSet pushed = new BitSet();
        BitSet popped = new BitSet();
        long twice = 0;
        long foreign = 0;
        String foreignExample = null;
        for (Book b : books) {
            pushed.or(b.pushed);
            BitSet both = (BitSet) popped.clone();
            both.and(b.popped);
            twice += b.twice + both.cardinality();
            popped.or(b.popped);
            foreign += b.foreign;
            if (foreignExample == null) {
                foreignExample = b.foreignExample;
            }
        }
        List<String> out = new ArrayList<>();
        BitSet lost = (BitSet) pushed.clone();
        lost.andNot(popped);
        if (!lost.isEmpty()) {
            out.add(lost.cardinality() + " pushed items were never popped, e.g. " + ITEM_PREFIX + lost.nextSetBit(0));
        }
        BitSet unpushed = (BitSet) popped.clone();
        unpushed.andNot(pushed);
        if (!unpushed.isEmpty()) {
            out.add(unpushed.cardinality() + " items were popped without an answered push, e.g. " + ITEM_PREFIX
                    + unpushed.nextSetBit(0));
        }
        if (twice > 0) {
            out.add(twice + " pops returned an item popped before");
        }
        if (foreign > 0) {
            out.add(foreign + " pops returned an item no producer made, e.g. '" + foreignExample + "'");
        }
        return out;
    }

    /** One worker's pushes or pops. */
    final class Book {
        private final BitSet pushed = new BitSet();
        private final BitSet popped = new BitSet();
        private long twice;
        private long foreign;
        private String foreignExample;

        void pushed(int id) {
            pushed.set(id);
        }

        /** Books a popped item's text. */
        void popped(String item) {
            int id = parse(item);
            if (id < 0) {
                foreign++;
                foreignExample = foreignExample == null ? item : foreignExample;
            } else if (popped.get(id)) {
                twice++;
            } else {
                popped.set(id);
            }
        }

        /** The id of {@code item-<n>} for an n this ledger can have made, else -1. */
        private int parse(String item) {
            if (!item.startsWith(ITEM_PREFIX) || item.length() == ITEM_PREFIX.length()
                    || item.length() > ITEM_PREFIX.length() + 10
                    || (item.charAt(ITEM_PREFIX.length()) == '0' && item.length() > ITEM_PREFIX.length() + 1)) {
                return -1;
            }
            long n = 0;
            for (int i = ITEM_PREFIX.length(); i < item.length(); i++) {
                char c = item.charAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                n = n * 10 + (c - '0');
            }
            return n <= Integer.MAX_VALUE ? (int) n : -1;
        }
    }
}
