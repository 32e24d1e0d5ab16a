package io.dflockd.server.signal;

import java.util.List;
import java.util.Map;

/**
 * Subject trie in the spirit of the NATS sublist: one level per {@code .}-separated token, with
 * dedicated {@code *} and {@code >} children. A publish walks only the branches that can match the
 * channel, so its cost depends on the channel depth and the number of matching patterns, not on
 * how many subscriptions exist.
 *
 * <p>Mutators must be called under the router's write lock; {@link #match} is lock-free (see
 * {@link TrieNode}). Strings are opaque byte-exact Latin-1; only {@code '.'} is interpreted.
 */
final class SubjectTrie {
    private final TrieNode root = new TrieNode(null, null);

    /** Adds a subscription. Writer only. */
    void add(SubscriptionKey key, Listener listener) {
        TrieNode node = root;
        for (String tok : split(key.pattern())) {
            node = node.childOrCreate(tok);
        }
        if (key.grouped()) {
            node.joinGroup(key.group(), listener);
        } else {
            node.addPlain(listener);
        }
    }

    /** Removes a subscription and prunes the nodes it leaves empty. Writer only. */
    void remove(SubscriptionKey key, Listener listener) {
        TrieNode node = root;
        for (String tok : split(key.pattern())) {
            node = node.child(tok);
            if (node == null) {
                return;
            }
        }
        if (key.grouped()) {
            node.leaveGroup(key.group(), listener);
        } else {
            node.removePlain(listener);
        }
        while (node != root && node.isEmpty()) {
            node.parent.removeChild(node);
            node = node.parent;
        }
    }

    /** Collects every subscription container whose pattern matches the literal {@code channel}. */
    Matches match(String channel) {
        Matches out = new Matches();
        collect(root, split(channel), 0, false, out);
        return out;
    }

    private static void collect(TrieNode node, String[] toks, int i, boolean wild, Matches out) {
        if (i == toks.length) {
            out.add(node, wild);
            return;
        }
        TrieNode tail = node.tail;
        if (tail != null) {
            out.add(tail, true); // '>' takes the remaining tokens, of which there is at least one
        }
        Map<String, TrieNode> literals = node.literals;
        if (literals != null) {
            TrieNode child = literals.get(toks[i]);
            if (child != null) {
                collect(child, toks, i + 1, wild, out);
            }
        }
        TrieNode star = node.star;
        if (star != null) {
            collect(star, toks, i + 1, true, out);
        }
    }

    /** Appends one stats entry per ungrouped pattern and per (pattern, group). Writer only. */
    void stats(List<ChannelStat> out) {
        statsBelow(root, null, out);
    }

    private static void statsBelow(TrieNode node, String pattern, List<ChannelStat> out) {
        Listener[] plain = node.plain;
        if (plain != null) {
            out.add(new ChannelStat(pattern, null, plain.length));
        }
        QueueGroup[] groups = node.groups;
        if (groups != null) {
            for (QueueGroup g : groups) {
                out.add(new ChannelStat(pattern, g.name, g.size()));
            }
        }
        Map<String, TrieNode> literals = node.literals;
        if (literals != null) {
            for (TrieNode child : literals.values()) {
                statsBelow(child, extend(pattern, child.token), out);
            }
        }
        if (node.star != null) {
            statsBelow(node.star, extend(pattern, "*"), out);
        }
        if (node.tail != null) {
            statsBelow(node.tail, extend(pattern, ">"), out);
        }
    }

    private static String extend(String prefix, String tok) {
        return prefix == null ? tok : prefix + '.' + tok;
    }

    /** Number of nodes below the root; lets tests check that pruning keeps memory bounded. */
    int nodeCount() {
        return countBelow(root);
    }

    private static int countBelow(TrieNode node) {
        int n = 0;
        Map<String, TrieNode> literals = node.literals;
        if (literals != null) {
            for (TrieNode child : literals.values()) {
                n += 1 + countBelow(child);
            }
        }
        if (node.star != null) {
            n += 1 + countBelow(node.star);
        }
        if (node.tail != null) {
            n += 1 + countBelow(node.tail);
        }
        return n;
    }

    /**
     * Splits on every {@code '.'}, keeping empty tokens ({@code "a..b"} has three tokens, {@code ""}
     * has one), unlike {@link String#split} which drops trailing empty ones.
     */
    static String[] split(String subject) {
        int count = 1;
        for (int i = subject.indexOf('.'); i >= 0; i = subject.indexOf('.', i + 1)) {
            count++;
        }
        String[] toks = new String[count];
        int start = 0;
        for (int t = 0; t < count - 1; t++) {
            int dot = subject.indexOf('.', start);
            toks[t] = subject.substring(start, dot);
            start = dot + 1;
        }
        toks[count - 1] = subject.substring(start);
        return toks;
    }
}
