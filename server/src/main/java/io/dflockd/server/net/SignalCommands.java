package io.dflockd.server.net;

import io.dflockd.protocol.Reply;
import io.dflockd.protocol.Request;
import io.dflockd.protocol.Status;
import io.dflockd.server.signal.ListenResult;
import io.dflockd.server.signal.SignalRouter;
import io.netty.channel.Channel;

/**
 * The signal commands of one connection (PROTOCOL.md §9): {@code listen}, {@code unlisten} and
 * {@code signal}. The connection becomes a subscriber (a {@link PushChannel}) at its first listen.
 */
final class SignalCommands {
    private static final Reply OK = Reply.Bare.of(Status.OK);
    private static final Reply ERROR = Reply.Bare.of(Status.ERROR);

    private final SignalRouter signals;
    private final Channel channel;
    private final long connectionId;
    private PushChannel subscriber;

    SignalCommands(SignalRouter signals, Channel channel, long connectionId) {
        this.signals = signals;
        this.channel = channel;
        this.connectionId = connectionId;
    }

    /** Whether {@code r} is one of this handler's commands. */
    static boolean handles(Request r) {
        return r instanceof Request.Listen || r instanceof Request.Unlisten || r instanceof Request.Publish;
    }

    /** Runs a signal request (see {@link #handles}) and returns its reply. */
    Reply execute(Request r) {
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
            if (subscriber == null) {
                subscriber = new PushChannel(channel, connectionId);
            }
            return signals.listen(subscriber, l.key(), l.group()) == ListenResult.OK ? OK : ERROR;
        }
        throw new IllegalArgumentException("not a signal command: " + r.command());
    }

    /** The connection ended: its subscriptions go. */
    void close() {
        if (subscriber != null) {
            signals.removeAll(subscriber);
        }
    }
}
