package io.dflockd.server.data;

import io.dflockd.server.lock.LockManager;
import io.dflockd.server.lock.LockOwner;
import io.dflockd.server.lock.WaitListener;

/**
 * Re-attaching a client to its barrier party (cluster mode, stable references,
 * CLUSTER-DESIGN.md §3.5): an orphan's {@code bwait} stays at its barrier, and the client's next
 * session takes the party over instead of arriving as a second one, which would count the client
 * twice. The barrier counterpart of {@code lock.SlotAdoption}; standalone paths never need it.
 *
 * <p>Called on the cluster's apply thread; each change takes the {@link Barriers} monitor.
 */
public final class PartyAdoption {
    /** The barrier a party arrived at: its key and count. */
    public record Arrival(String key, int count) {
    }

    private PartyAdoption() {
    }

    /** Whether {@code owner}'s blocked call is a party waiting at a barrier. */
    public static boolean waitsAtBarrier(LockOwner owner) {
        return owner.blockedCall() instanceof Barriers.Party p && p.isWaiting();
    }

    /**
     * The barrier of {@code owner}'s last {@code bwait}, while its call is the owner's blocked call
     * (waiting, or just ended and not yet cleared); {@code null} when its blocked call is no party.
     */
    public static Arrival arrivalOf(LockOwner owner) {
        return owner.blockedCall() instanceof Barriers.Party p ? new Arrival(p.barrier.key, p.barrier.count) : null;
    }

    /** The outcome of {@code owner}'s waiting party goes to {@code listener} from now on. */
    public static void redirect(LockOwner owner, WaitListener listener) {
        if (owner.blockedCall() instanceof Barriers.Party p) {
            synchronized (p.barriers) {
                if (p.isWaiting()) {
                    p.listener = listener;
                }
            }
        }
    }

    /**
     * {@code to} arrives at the barrier {@code arrival} where {@code from}, an earlier session of the
     * same client, waits: the party becomes {@code to}'s, with {@code listener} and a timeout of
     * {@code timeoutSeconds} from now, still counted once. {@code from}'s call is not answered.
     *
     * @return whether it moved ({@code from} waits at that barrier and {@code to} has no blocked call)
     */
    public static boolean move(LockOwner from, LockOwner to, Arrival arrival, long timeoutSeconds,
            WaitListener listener) {
        if (!(from.blockedCall() instanceof Barriers.Party p) || to.isBlocked()) {
            return false;
        }
        synchronized (p.barriers) {
            if (!p.isWaiting() || !new Arrival(p.barrier.key, p.barrier.count).equals(arrival)) {
                return false;
            }
            long now = p.barriers.now();
            p.timer.cancel();
            p.owner = to;
            p.listener = listener;
            from.blockedCall(null);
            to.blockedCall(p);
            p.barriers.arm(p, now + LockManager.toNanos(timeoutSeconds), now);
        }
        return true;
    }
}
