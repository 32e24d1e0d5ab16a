package io.dflockd.client;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/** A {@link Flow.Subscriber} that requests everything, keeps every item and notes how the stream ended. */
final class FlowRecorder<T> implements Flow.Subscriber<T> {
    /** The items, in arrival order. */
    final BlockingQueue<T> items = new LinkedBlockingQueue<>();
    /** Completes on {@code onComplete}, completes exceptionally on {@code onError}. */
    final CompletableFuture<Void> completed = new CompletableFuture<>();

    @Override
    public void onSubscribe(Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(T item) {
        items.add(item);
    }

    @Override
    public void onError(Throwable t) {
        completed.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        completed.complete(null);
    }
}
