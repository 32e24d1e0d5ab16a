package io.dflockd.server.signal;

import java.util.ArrayList;
import java.util.List;

/**
 * The subscription containers one publish found, sorted into the four lists of PROTOCOL.md §9.6.
 * Each node's volatile fields are read exactly once here, and the arrays they hold are never
 * modified, so delivery works on an exact snapshot of every pattern even while writers run.
 */
final class Matches {
    Listener[] exactPlain;
    QueueGroup[] exactGroups;
    /** Allocated only when a wildcard pattern matches, keeping the common path allocation-free. */
    List<Listener[]> wildPlain;
    List<QueueGroup[]> wildGroups;

    void add(TrieNode node, boolean wildcard) {
        Listener[] plain = node.plain;
        QueueGroup[] groups = node.groups;
        if (!wildcard) {
            exactPlain = plain;
            exactGroups = groups;
            return;
        }
        if (plain != null) {
            if (wildPlain == null) {
                wildPlain = new ArrayList<>(4);
            }
            wildPlain.add(plain);
        }
        if (groups != null) {
            if (wildGroups == null) {
                wildGroups = new ArrayList<>(4);
            }
            wildGroups.add(groups);
        }
    }

    /** True when more than one ungrouped list matched, so a connection may appear twice. */
    boolean needsDedup() {
        int lists = (exactPlain != null ? 1 : 0) + (wildPlain != null ? wildPlain.size() : 0);
        return lists > 1;
    }
}
