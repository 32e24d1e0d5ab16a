package io.dflockd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dflockd.protocol.Stats;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code stats --json} without a server: each entry carries the server's fields as the server wrote them. */
class StatsJsonTest {
    private static final String REPLY = "{\"connections\":3,\"locks\":[{\"key\":\"job-\\\"1\\\"\\u0001é\\uD83D\\uDE00\","
            + "\"owner_conn_id\":7,\"lease_expires_in_s\":31.523412851,\"waiters\":1}],\"semaphores\":[{\"key\":\"pool\","
            + "\"limit\":3,\"holders\":2,\"waiters\":0}],\"rw_locks\":[{\"key\":\"cfg\",\"readers\":2,\"writer\":false,"
            + "\"waiters\":1}],\"idle_locks\":[{\"key\":\"old-job\",\"idle_s\":1.0E-9}],"
            + "\"idle_semaphores\":[],\"counters\":[],\"kv_entries\":[],\"lists\":[],"
            + "\"signal_channels\":[{\"pattern\":\"events.>\",\"group\":\"workers\","
            + "\"listeners\":2},{\"pattern\":\"events.user.login\",\"listeners\":1}],"
            + "\"watch_channels\":[{\"pattern\":\"jobs.>\",\"watchers\":1}],"
            + "\"barriers\":[{\"key\":\"stage\",\"count\":3,\"participants\":2,\"idle_s\":0.5}]}";

    @Test
    void eachServerEntryIsTheServersReplyWithItsAddressFirst() {
        String json = StatsJson.render(List.of(new StatsJson.Entry("h1:6388", Stats.parse(REPLY), null),
                new StatsJson.Entry("h\"2:6388", null, "connection refused")));
        assertThat(json).isEqualTo("{\"servers\":[{\"server\":\"h1:6388\"," + REPLY.substring(1)
                + ",{\"server\":\"h\\\"2:6388\",\"error\":\"connection refused\"}]}");
    }

    @Test
    void signalChannelsWatchesAndBarriersAreAlwaysListed() {
        String withoutSignals = "{\"connections\":1,\"locks\":[],\"semaphores\":[],\"idle_locks\":[],\"idle_semaphores\":[]}";
        assertThat(StatsJson.render(List.of(new StatsJson.Entry("h:1", Stats.parse(withoutSignals), null))))
                .isEqualTo("{\"servers\":[{\"server\":\"h:1\",\"connections\":1,\"locks\":[],\"semaphores\":[],"
                        + "\"rw_locks\":[],\"idle_locks\":[],\"idle_semaphores\":[],\"counters\":[],\"kv_entries\":[],\"lists\":[],"
                        + "\"signal_channels\":[],\"watch_channels\":[],"
                        + "\"barriers\":[]}]}");
        assertThat(StatsJson.render(List.of())).isEqualTo("{\"servers\":[]}");
    }
}
