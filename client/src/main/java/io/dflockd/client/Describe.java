package io.dflockd.client;

/** The {@code toString} of the lock and semaphore types, sync and async. */
final class Describe {
    private Describe() {
    }

    static String of(Class<?> type, LeaseCore core) {
        return type.getSimpleName() + "[" + core.key + (core.limit > 0 ? " limit " + core.limit : "") + " @ "
                + Addresses.format(core.server) + (core.isHeld() ? ", held" : "")
                + (core.isClosed() ? ", closed" : "") + "]";
    }
}
