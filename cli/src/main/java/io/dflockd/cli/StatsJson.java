package io.dflockd.cli;

import io.dflockd.protocol.Stats;
import io.dflockd.protocol.StatsWriter;
import java.util.List;

/**
 * {@code stats --json}: one JSON object {@code {"servers":[...]}}, one entry per server in
 * {@code --servers} order, each with the server's address and its {@code stats} fields under the
 * wire names (PROTOCOL.md §10), written by the protocol's {@link StatsWriter} as the server writes
 * them, so {@code jq} filters written for the server's reply carry over. {@code signal_channels} is
 * always there (empty from a server without signals).
 */
final class StatsJson {
    private StatsJson() {
    }

    /** One server's result: its stats, or the error that prevented getting them. */
    record Entry(String server, Stats stats, String error) {
    }

    static String render(List<Entry> entries) {
        StringBuilder out = new StringBuilder("{\"servers\":[");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            out.append(i == 0 ? "{\"server\":" : ",{\"server\":");
            StatsWriter.writeString(out, e.server());
            if (e.stats() == null) {
                StatsWriter.writeString(out.append(",\"error\":"), e.error());
            } else {
                StatsWriter.writeMembers(out.append(','), e.stats(), true);
            }
            out.append('}');
        }
        return out.append("]}").toString();
    }
}
