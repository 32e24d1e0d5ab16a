package io.dflockd.server.signal;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Copy-on-write helpers for the small arrays that publishers read without locking. Arrays are
 * never modified once published; {@code null} stands for empty so that empty trie nodes are cheap
 * to recognise and prune.
 */
final class CopyOnWrite {
    private CopyOnWrite() {
    }

    /** A new array with {@code item} appended (join order is preserved). */
    static <T> T[] append(T[] array, T item, IntFunction<T[]> factory) {
        if (array == null) {
            T[] one = factory.apply(1);
            one[0] = item;
            return one;
        }
        T[] next = Arrays.copyOf(array, array.length + 1);
        next[array.length] = item;
        return next;
    }

    /**
     * A new array without {@code item} (compared by identity), keeping the order of the rest;
     * {@code null} when nothing is left, and the same array when {@code item} was absent.
     */
    static <T> T[] remove(T[] array, T item, IntFunction<T[]> factory) {
        if (array == null) {
            return null;
        }
        for (int i = 0; i < array.length; i++) {
            if (array[i] == item) {
                if (array.length == 1) {
                    return null;
                }
                T[] next = factory.apply(array.length - 1);
                System.arraycopy(array, 0, next, 0, i);
                System.arraycopy(array, i + 1, next, i, array.length - i - 1);
                return next;
            }
        }
        return array;
    }
}
