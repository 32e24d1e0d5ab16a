package io.dflockd.server.signal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One level of the subject trie: the node reached by a pattern's tokens holds that pattern's
 * subscriptions. Literal children sit in a map; the {@code *} and {@code >} children have their own
 * fields so matching never hashes a wildcard token.
 *
 * <p>All mutation happens under the router's write lock. Publishers read without locking: every
 * field is final or volatile. Children live in a concurrent map (a reader needs one lookup, never
 * an iteration). Subscribers and groups live in copy-on-write arrays, because a publisher iterates
 * them and must see an exact snapshot: a concurrent map's iterator may return a key twice when it
 * is removed and re-added mid-iteration, which would deliver a duplicate copy or count a group
 * twice. The copy costs O(listeners of this one pattern) per listen/unlisten, which are rare.
 * Containers are allocated lazily and dropped again when empty, because most nodes are interior
 * nodes that never hold subscriptions and memory should shrink back when subscriptions go away.
 */
final class TrieNode {
    final TrieNode parent;
    /** The token leading here from {@link #parent}; {@code null} for the root. */
    final String token;

    volatile Map<String, TrieNode> literals;
    volatile TrieNode star;
    volatile TrieNode tail;
    /** Ungrouped subscribers of this pattern; copy-on-write, {@code null} rather than empty. */
    volatile Listener[] plain;
    /** Queue groups on this pattern; copy-on-write, {@code null} rather than empty. */
    volatile QueueGroup[] groups;

    TrieNode(TrieNode parent, String token) {
        this.parent = parent;
        this.token = token;
    }

    /** The child for {@code tok}, created if missing. Writer only. */
    TrieNode childOrCreate(String tok) {
        TrieNode child = child(tok);
        if (child != null) {
            return child;
        }
        child = new TrieNode(this, tok);
        if (isStar(tok)) {
            star = child;
        } else if (isTail(tok)) {
            tail = child;
        } else {
            Map<String, TrieNode> map = literals;
            if (map == null) {
                map = new ConcurrentHashMap<>(4);
                literals = map;
            }
            map.put(tok, child);
        }
        return child;
    }

    /** The existing child for a pattern token, or {@code null}. */
    TrieNode child(String tok) {
        if (isStar(tok)) {
            return star;
        }
        if (isTail(tok)) {
            return tail;
        }
        Map<String, TrieNode> map = literals;
        return map == null ? null : map.get(tok);
    }

    /** Unlinks an empty child. Writer only. */
    void removeChild(TrieNode child) {
        if (child == star) {
            star = null;
        } else if (child == tail) {
            tail = null;
        } else {
            Map<String, TrieNode> map = literals;
            if (map != null && map.remove(child.token, child) && map.isEmpty()) {
                literals = null;
            }
        }
    }

    /** Adds an ungrouped subscriber; the caller guarantees it is not present. Writer only. */
    void addPlain(Listener listener) {
        plain = CopyOnWrite.append(plain, listener, Listener[]::new);
    }

    /** Removes an ungrouped subscriber. Writer only. */
    void removePlain(Listener listener) {
        plain = CopyOnWrite.remove(plain, listener, Listener[]::new);
    }

    /** Joins {@code listener} to group {@code name}, creating the group. Writer only. */
    void joinGroup(String name, Listener listener) {
        QueueGroup group = group(name);
        if (group == null) {
            group = new QueueGroup(name);
            group.add(listener); // filled before publication: readers never see an empty group
            groups = CopyOnWrite.append(groups, group, QueueGroup[]::new);
        } else {
            group.add(listener);
        }
    }

    /** Removes {@code listener} from group {@code name}; an empty group disappears. Writer only. */
    void leaveGroup(String name, Listener listener) {
        QueueGroup group = group(name);
        if (group != null && group.remove(listener) && group.isEmpty()) {
            groups = CopyOnWrite.remove(groups, group, QueueGroup[]::new);
        }
    }

    /**
     * Linear lookup: a pattern carries only a few group names in practice, and a scan of a small
     * array beats keeping a second, writer-side map in sync.
     */
    private QueueGroup group(String name) {
        QueueGroup[] gs = groups;
        if (gs != null) {
            for (QueueGroup g : gs) {
                if (g.name.equals(name)) {
                    return g;
                }
            }
        }
        return null;
    }

    /** True when the node holds nothing and can be unlinked from its parent. */
    boolean isEmpty() {
        return plain == null && groups == null && literals == null && star == null && tail == null;
    }

    static boolean isStar(String tok) {
        return tok.length() == 1 && tok.charAt(0) == '*';
    }

    static boolean isTail(String tok) {
        return tok.length() == 1 && tok.charAt(0) == '>';
    }
}
