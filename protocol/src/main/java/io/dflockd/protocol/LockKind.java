package io.dflockd.protocol;

import java.util.EnumMap;

/**
 * Which family a lock-family request belongs to, and so which commands it is sent as: a lock
 * ({@code l r n e w}), a semaphore ({@code sl sr sn se sw}), or one side of a read-write lock
 * ({@code rl rr rn re rw} to read, {@code wl wr wn we ww} to write; PROTOCOL.md §6.14).
 */
public enum LockKind {
    LOCK(Command.LOCK, Command.RELEASE, Command.RENEW, Command.ENQUEUE, Command.WAIT),
    SEMAPHORE(Command.SEM_LOCK, Command.SEM_RELEASE, Command.SEM_RENEW, Command.SEM_ENQUEUE, Command.SEM_WAIT),
    READ(Command.READ_LOCK, Command.READ_RELEASE, Command.READ_RENEW, Command.READ_ENQUEUE, Command.READ_WAIT),
    WRITE(Command.WRITE_LOCK, Command.WRITE_RELEASE, Command.WRITE_RENEW, Command.WRITE_ENQUEUE, Command.WRITE_WAIT);

    private static final EnumMap<Command, LockKind> BY_COMMAND = new EnumMap<>(Command.class);

    static {
        for (LockKind k : values()) {
            for (Command c : new Command[] {k.acquire, k.release, k.renew, k.enqueue, k.await}) {
                BY_COMMAND.put(c, k);
            }
        }
    }

    private final Command acquire;
    private final Command release;
    private final Command renew;
    private final Command enqueue;
    private final Command await;

    LockKind(Command acquire, Command release, Command renew, Command enqueue, Command await) {
        this.acquire = acquire;
        this.release = release;
        this.renew = renew;
        this.enqueue = enqueue;
        this.await = await;
    }

    /** {@link #SEMAPHORE} or {@link #LOCK}: the two kinds the older boolean {@code semaphore} named. */
    public static LockKind of(boolean semaphore) {
        return semaphore ? SEMAPHORE : LOCK;
    }

    /**
     * The kind whose acquire, release, renew, enqueue or wait command {@code c} is; {@code null} for
     * any other command ({@code k}/{@code sk} included: keep is not split by kind).
     */
    public static LockKind of(Command c) {
        return BY_COMMAND.get(c);
    }

    /** Whether this is one side of a read-write lock: a key of that type, with no limit. */
    public boolean readWrite() {
        return this == READ || this == WRITE;
    }

    /** {@code l}, {@code sl}, {@code rl} or {@code wl}. */
    public Command acquire() {
        return acquire;
    }

    /** {@code r}, {@code sr}, {@code rr} or {@code wr}. */
    public Command release() {
        return release;
    }

    /** {@code n}, {@code sn}, {@code rn} or {@code wn}. */
    public Command renew() {
        return renew;
    }

    /** {@code e}, {@code se}, {@code re} or {@code we}. */
    public Command enqueue() {
        return enqueue;
    }

    /** {@code w}, {@code sw}, {@code rw} or {@code ww}. */
    public Command await() {
        return await;
    }
}
