package io.dflockd.client;

import static io.dflockd.client.TestServers.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dflockd.protocol.WatchFrame.Event;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Watches over real TCP against a real server (PROTOCOL.md §6.19, §9.14). */
@Tag("integration") // real servers: not in the quick loop (mvn test -Pquick)
class WatchTest {
    @RegisterExtension
    static final ServerPerClass shared = new ServerPerClass();

    @Test
    void theChangesOfMatchingKeysArriveInOrderAtTheListenerAndThePublisher() throws Exception {
        String prefix = key("watch");
        String entry = prefix + ".entry";
        String counter = prefix + ".counter";
        String list = prefix + ".list";
        String lock = prefix + ".lock";
        BlockingQueue<WatchEvent> heard = new LinkedBlockingQueue<>();
        FlowRecorder<WatchEvent> published = new FlowRecorder<>();
        try (DflockdClient client = DflockdClient.create(shared.config());
                SignalConn watcher = client.signalsBuilder().onWatchEvent(heard::add).build()) {
            watcher.watchEvents().subscribe(published);
            watcher.connect();
            watcher.watch(prefix + ".>");
            watcher.watch(prefix + ".*"); // a second matching pattern: still one push per change
            DistributedMap kv = client.map();
            kv.set(entry, "v1");
            kv.compareAndSet(entry, "v1", "v2");
            kv.delete(entry);
            DistributedCounter c = client.counter(counter);
            c.incrementAndGet();
            c.decrementAndGet();
            c.set(7);
            DistributedQueue q = client.queue(list);
            q.offerLast("a");
            q.offerFirst("b");
            q.pollFirst();
            q.pollLast(Duration.ZERO);
            try (DistributedLock l = client.lock(lock).acquireOrThrow()) {
                assertThat(l.isHeld()).isTrue();
            }
            List<WatchEvent> expected = List.of(
                    new WatchEvent("kset", entry), new WatchEvent("kcas", entry), new WatchEvent("kdel", entry),
                    new WatchEvent("incr", counter), new WatchEvent("decr", counter), new WatchEvent("cset", counter),
                    new WatchEvent("rpush", list), new WatchEvent("lpush", list), new WatchEvent("lpop", list),
                    new WatchEvent("brpop", list),
                    new WatchEvent("acquire", lock), new WatchEvent("release", lock));
            for (WatchEvent e : expected) {
                assertThat(heard.poll(10, TimeUnit.SECONDS)).isEqualTo(e);
                assertThat(published.items.poll(10, TimeUnit.SECONDS)).isEqualTo(e);
            }
            watcher.ping(); // a second push for any change would have come before this reply
            assertThat(heard).isEmpty();
            assertThat(expected.get(0).known()).isEqualTo(Event.KSET);

            watcher.unwatch(prefix + ".>");
            watcher.unwatch(prefix + ".*");
            kv.set(entry, "unwatched");
            watcher.ping();
            assertThat(heard).isEmpty();
        }
        published.completed.get(10, TimeUnit.SECONDS); // the publisher completes with the connection
    }

    @Test
    void anAsyncConnectionWatchesAndDeletingNothingIsNoEvent() throws Exception {
        String k = key("watch-async");
        FlowRecorder<WatchEvent> events = new FlowRecorder<>();
        try (DflockdClient client = DflockdClient.create(shared.config());
                AsyncSignalConn watcher = client.signalsBuilder().buildAsync()) {
            watcher.watchEvents().subscribe(events);
            watcher.connect().thenCompose(w -> w.watch(k)).get(10, TimeUnit.SECONDS);
            DistributedMap kv = client.map();
            kv.delete(k); // nothing deleted: no event
            kv.set(k, "x");
            assertThat(events.items.poll(10, TimeUnit.SECONDS)).isEqualTo(new WatchEvent("kset", k));
            assertThat(events.items.poll(200, TimeUnit.MILLISECONDS)).isNull();
            watcher.unwatch(k).get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anInvalidPatternIsRefusedBeforeTheWire() {
        try (SignalConn watcher = SignalConn.builder().config(shared.config()).connect()) {
            assertThatThrownBy(() -> watcher.watch("a.b*")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> watcher.watch("a.>.b")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anEventOfALaterServerKeepsItsWord() {
        WatchEvent e = new WatchEvent("rename", "k");
        assertThat(e.known()).isNull();
        assertThat(new WatchEvent("acquire", "k").known()).isEqualTo(Event.ACQUIRE);
    }
}
