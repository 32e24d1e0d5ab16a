package io.dflockd.server.signal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One level of the subject trie: the node reached by a pattern's tokens holds that pattern's
 * subscriptions. Literal children sit in a map; the {@code *} and {@code >} children have their own
 * fields so matching never hashes a wildcard token.
 *
 * <p>All mutation happens under the router's write lock. Publishers read without locking: every
 * field is either final or volatile and points to a concurrent map/set, so a reader sees either the
 * old or the new state of each field. The containers are allocated lazily and dropped again when
 * empty, because most nodes are interior nodes that never hold subscriptions and memory should
 * shrink back when subscriptions go away.
 */
final class TrieNode {
    final TrieNode parent;
    /** The token leading here from {@link #parent}; {@code null} for the root. */
    final String token;

    volatile Map<String, TrieNode> literals;
    volatile TrieNode star;
    volatile TrieNode tail;
    /** Ungrouped subscribers of this node's pattern. */
    volatile Set<Listener> plain;
    /** Queue groups on this node's pattern, by name. */
    volatile Map<String, QueueGroup> groups;

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

    /** Adds an ungrouped subscriber. Writer only. */
    void addPlain(Listener listener) {
        Set<Listener> set = plain;
        if (set == null) {
            set = ConcurrentHashMap.newKeySet(4);
            set.add(listener); // filled before publication so readers never see it half-built
            plain = set;
        } else {
            set.add(listener);
        }
    }

    /** Removes an ungrouped subscriber. Writer only. */
    void removePlain(Listener listener) {
        Set<Listener> set = plain;
        if (set != null && set.remove(listener) && set.isEmpty()) {
            plain = null;
        }
    }

    /** Joins {@code listener} to group {@code name}, creating the group. Writer only. */
    void joinGroup(String name, Listener listener) {
        Map<String, QueueGroup> map = groups;
        if (map == null) {
            map = new ConcurrentHashMap<>(2);
        }
        QueueGroup group = map.get(name);
        if (group == null) {
            group = new QueueGroup(name);
            group.add(listener);
            map.put(name, group);
        } else {
            group.add(listener);
        }
        groups = map;
    }

    /** Removes {@code listener} from group {@code name}; an empty group disappears. Writer only. */
    void leaveGroup(String name, Listener listener) {
        Map<String, QueueGroup> map = groups;
        QueueGroup group = map == null ? null : map.get(name);
        if (group != null && group.remove(listener) && group.isEmpty()) {
            map.remove(name, group);
            if (map.isEmpty()) {
                groups = null;
            }
        }
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
