package io.dflockd.server.lock;

/**
 * What the holder of a token does with its slot (PROTOCOL.md §6.14): release it, or renew or keep its
 * lease. Any connection with the token may; the slot's owner does not matter. A lease that has run out
 * by the time the call arrives is treated as expired, whatever its timer has done yet.
 */
final class Leases {
    private final LockContext ctx;
    private final Slots slots;

    Leases(LockContext ctx, Slots slots) {
        this.ctx = ctx;
        this.slots = slots;
    }

    /** Frees the slot of {@code token}; a {@code resign} when {@code resign} (watchers are told so). */
    Outcome release(String key, String token, boolean resign) {
        return onLiveSlot(key, token, (h, now, grants) -> {
            slots.removeHolder(h, Holder.State.RELEASED, true, resign, now, grants);
            return Outcome.RELEASED;
        });
    }

    /**
     * The lease of {@code token} becomes {@code leaseSeconds} (the default when 0) from now; with
     * {@code detach} ({@code k}) the slot also leaves its connection's care.
     */
    Outcome extend(String key, String token, long leaseSeconds, boolean detach) {
        long lease = ctx.effectiveLease(leaseSeconds);
        return onLiveSlot(key, token, (h, now, grants) -> {
            slots.resetLease(h, lease, now);
            if (detach) {
                h.owner.held.remove(h);
            }
            return Outcome.renewed(lease);
        });
    }

    /** What a call does to a slot whose lease is still running, under the resource monitor. */
    private interface LiveSlotCall {
        Outcome apply(Holder h, long now, Grants grants);
    }

    /**
     * Runs {@code call} on the slot of {@code token} under its resource monitor and delivers the grants
     * it caused afterwards; an unknown token is an error, and so is a lease that has run out, whose
     * slot is then taken back.
     */
    private Outcome onLiveSlot(String key, String token, LiveSlotCall call) {
        Resource r = ctx.table.get(key);
        if (r == null) {
            return Outcome.ERROR;
        }
        Grants grants = new Grants();
        Outcome out;
        synchronized (r) {
            Holder h = r.holders.get(token);
            if (h == null) {
                return Outcome.ERROR;
            }
            long now = ctx.now();
            r.lastActivity = now;
            if (h.deadline - now <= 0) {
                slots.removeHolder(h, Holder.State.EXPIRED, now, grants);
                out = Outcome.ERROR;
            } else {
                out = call.apply(h, now, grants);
            }
        }
        grants.deliver();
        return out;
    }
}
