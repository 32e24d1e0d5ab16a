package io.dflockd.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Commands pile up behind the proposals in flight and leave together, in submission order. */
class ProposerTest {
    private record Sent(List<ClusterCommand> commands, CompletableFuture<Void> commit) {
    }

    @Test
    void commandsQueuedBehindFullFlightLeaveInOneOrderedBatch() {
        List<Sent> sent = new CopyOnWriteArrayList<>();
        try (Proposer p = new Proposer("test-proposer", bytes -> {
            CompletableFuture<Void> commit = new CompletableFuture<>();
            sent.add(new Sent(ClusterCodec.decodeProposal(bytes), commit));
            return commit;
        })) {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int i = 0; i < Proposer.MAX_IN_FLIGHT; i++) {
                done.add(p.submit(new ClusterCommand.Disconnect(new SessionKey("n1", 1, 100 + i))));
                int expected = i + 1;
                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == expected);
            }
            for (int i = 0; i < 10; i++) {
                done.add(p.submit(new ClusterCommand.Disconnect(new SessionKey("n1", 1, i))));
            }
            assertThat(sent).as("all slots busy: the ten wait").hasSize(Proposer.MAX_IN_FLIGHT);
            assertThat(done.get(0)).isNotDone();

            sent.get(0).commit().complete(null);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == Proposer.MAX_IN_FLIGHT + 1);
            assertThat(done.get(0)).isCompleted();
            List<ClusterCommand> batch = sent.get(Proposer.MAX_IN_FLIGHT).commands();
            assertThat(batch).hasSize(10);
            for (int i = 0; i < 10; i++) {
                assertThat(((ClusterCommand.Disconnect) batch.get(i)).session().localId()).isEqualTo(i);
            }
        }
    }
}
