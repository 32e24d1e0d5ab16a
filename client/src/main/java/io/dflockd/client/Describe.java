package io.dflockd.client;

import java.util.Locale;

/** The {@code toString} of the lock, semaphore and read-write lock types, sync and async. */
final class Describe {
    private Describe() {
    }

    static String of(Class<?> type, LeaseCore core) {
        Class<?> outer = type.getEnclosingClass();
        String name = outer == null ? type.getSimpleName() : outer.getSimpleName() + "." + type.getSimpleName();
        return name + "[" + core.key + (core.limit > 0 ? " limit " + core.limit : "")
                + (core.kind.readWrite() ? " " + core.kind.name().toLowerCase(Locale.ROOT) : "") + " @ "
                + Addresses.format(core.server) + (core.isHeld() ? ", held" : "")
                + (core.isClosed() ? ", closed" : "") + "]";
    }
}
