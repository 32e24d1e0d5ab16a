package io.dflockd.client;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.Cleaner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Library-wide singletons: the logger, the one renewal/heartbeat scheduler, the worker executor
 * for blocking calls, and the cleaner that reclaims leaked locks. All threads are daemons, so the
 * library never keeps a JVM alive.
 */
final class Shared {
    /** Logger name used for everything the library logs. */
    static final String LOGGER_NAME = "io.dflockd.client";
    static final System.Logger LOG = System.getLogger(LOGGER_NAME);

    private static final ScheduledThreadPoolExecutor SCHEDULER;
    private static final ExecutorService WORKERS;
    private static final boolean VIRTUAL;
    static final Cleaner CLEANER = Cleaner.create(daemonFactory("dflockd-cleaner"));

    static {
        SCHEDULER = new ScheduledThreadPoolExecutor(1, daemonFactory("dflockd-scheduler"));
        SCHEDULER.setRemoveOnCancelPolicy(true);
        ExecutorService virtual = virtualThreadExecutor();
        VIRTUAL = virtual != null;
        WORKERS = virtual != null ? virtual : Executors.newCachedThreadPool(daemonFactory("dflockd-worker"));
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private Shared() {
    }

    /** 32 random lowercase hex characters (128 bits from the CSPRNG): a lock instance's stable ref. */
    static String randomHex32() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    /** The one scheduler: it only times renewals and heartbeats; I/O runs on {@link #workers()}. */
    static ScheduledThreadPoolExecutor scheduler() {
        return SCHEDULER;
    }

    /** Runs blocking network calls: a virtual thread per task on Java 21+, else cached daemon threads. */
    static ExecutorService workers() {
        return WORKERS;
    }

    /**
     * Runs a long-lived loop (a signal reader): on a virtual thread when available, otherwise on a
     * named platform daemon thread.
     */
    static void startLoop(String name, Runnable body) {
        if (VIRTUAL) {
            WORKERS.execute(body);
            return;
        }
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private static ExecutorService virtualThreadExecutor() {
        try {
            Object e = MethodHandles.publicLookup()
                    .findStatic(Executors.class, "newVirtualThreadPerTaskExecutor",
                            MethodType.methodType(ExecutorService.class))
                    .invoke();
            return (ExecutorService) e;
        } catch (Throwable t) {
            // Java 17-20 (or preview not enabled): no virtual threads
            return null;
        }
    }

    private static ThreadFactory daemonFactory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
