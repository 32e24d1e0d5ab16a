package io.dflockd.server.net;

import io.dflockd.protocol.Reply;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.Status;
import io.dflockd.server.leader.LeaderObservers;
import io.dflockd.server.lock.LockManager;
import io.dflockd.server.signal.ListenResult;
import io.dflockd.server.signal.SignalRouter;
import io.dflockd.server.watch.Watchers;
import io.netty.channel.Channel;
import java.util.function.Supplier;

/**
 * The push commands of one connection: the signal commands (PROTOCOL.md §9) {@code listen},
 * {@code unlisten} and {@code signal}, the leader observation commands (§6.15) {@code observe} and
 * {@code unobserve}, and the key watches (§6.19) {@code watch} and {@code unwatch}. The connection
 * becomes a subscriber (a {@link PushChannel}) at its first listen, observe or watch; signal, leader
 * and watch pushes share it, so they share its queue, its slow-consumer rule (§9.9) and the
 * {@code --max-subscriptions} cap.
 */
final class SignalCommands {
    private static final Reply OK = Reply.Bare.of(Status.OK);
    private static final Reply ERROR = Reply.Bare.of(Status.ERROR);

    private final SignalRouter signals;
    private final LeaderObservers leaders;
    private final Watchers watchers;
    /** This node's lock state (a cluster replica changes identity on a snapshot install). */
    private final Supplier<LockManager> locks;
    private final Channel channel;
    private final long connectionId;
    private PushChannel subscriber;

    SignalCommands(SignalRouter signals, LeaderObservers leaders, Watchers watchers, Supplier<LockManager> locks,
            Channel channel, long connectionId) {
        this.signals = signals;
        this.leaders = leaders;
        this.watchers = watchers;
        this.locks = locks;
        this.channel = channel;
        this.connectionId = connectionId;
    }

    /** Whether {@code r} is one of this handler's commands. */
    static boolean handles(Request r) {
        return r instanceof Request.Listen || r instanceof Request.Unlisten || r instanceof Request.Publish
                || r instanceof Request.Observe || r instanceof Request.Watch;
    }

    /** Runs a signal or observation request (see {@link #handles}) and returns its reply. */
    Reply execute(Request r) {
        if (r instanceof Request.Observe o) {
            return observe(o);
        }
        if (r instanceof Request.Watch w) {
            return watch(w);
        }
        if (r instanceof Request.Publish p) {
            return new Reply.Numeric(signals.publish(p.key(), p.payload()));
        }
        if (r instanceof Request.Unlisten u) {
            if (subscriber != null) {
                signals.unlisten(subscriber, u.key(), u.group());
            }
            return OK;
        }
        if (r instanceof Request.Listen l) {
            PushChannel s = subscriber();
            int elsewhere = leaders.subscriptionCount(s) + watchers.subscriptionCount(s);
            return signals.listen(s, l.key(), l.group(), elsewhere) == ListenResult.OK ? OK : ERROR;
        }
        throw new IllegalArgumentException("not a signal command: " + r.command());
    }

    private Reply observe(Request.Observe o) {
        if (!o.subscribe()) {
            if (subscriber != null) {
                leaders.unobserve(subscriber, o.key());
            }
            return OK;
        }
        PushChannel s = subscriber();
        int elsewhere = signals.subscriptionCount(s) + watchers.subscriptionCount(s);
        LeaderObservers.Result result = leaders.observe(s, o.key(), elsewhere, locks.get());
        return result == LeaderObservers.Result.CAP_REACHED ? ERROR : OK;
    }

    private Reply watch(Request.Watch w) {
        if (!w.subscribe()) {
            if (subscriber != null) {
                watchers.unwatch(subscriber, w.key());
            }
            return OK;
        }
        PushChannel s = subscriber();
        int elsewhere = signals.subscriptionCount(s) + leaders.subscriptionCount(s);
        return watchers.watch(s, w.key(), elsewhere) == Watchers.Result.CAP_REACHED ? ERROR : OK;
    }

    private PushChannel subscriber() {
        if (subscriber == null) {
            subscriber = new PushChannel(channel, connectionId);
        }
        return subscriber;
    }

    /** The connection ended: its subscriptions go. */
    void close() {
        if (subscriber != null) {
            signals.removeAll(subscriber);
            leaders.removeAll(subscriber);
            watchers.removeAll(subscriber);
        }
    }
}
