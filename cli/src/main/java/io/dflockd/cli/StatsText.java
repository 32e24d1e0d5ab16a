package io.dflockd.cli;

import io.dflockd.protocol.Stats;
import java.util.Locale;

/** Renders one server's {@link Stats} as the human-readable tables of {@code dflockctl stats}. */
final class StatsText {
    private StatsText() {
    }

    static String render(String server, Stats s) {
        StringBuilder out = new StringBuilder();
        out.append("server ").append(server).append("   connections: ").append(s.connections()).append("\n\n");

        TextTable locks = new TextTable("LOCK", "HOLDER", "LEASE LEFT", "WAITERS");
        for (Stats.LockStat l : s.locks()) {
            locks.row(l.key(), l.ownerConnId() == 0 ? "-" : "conn " + l.ownerConnId(),
                    l.ownerConnId() == 0 ? "-" : seconds(l.leaseExpiresInS()), l.waiters());
        }
        section(out, "Locks", locks);

        TextTable sems = new TextTable("SEMAPHORE", "HOLDERS", "LIMIT", "WAITERS");
        for (Stats.SemaphoreStat m : s.semaphores()) {
            sems.row(m.key(), m.holders(), m.limit(), m.waiters());
        }
        section(out, "Semaphores", sems);

        TextTable rw = new TextTable("READ-WRITE LOCK", "READERS", "WRITER", "WAITERS");
        for (Stats.RwLockStat l : s.rwLocks()) {
            rw.row(l.key(), l.readers(), l.writer() ? "yes" : "no", l.waiters());
        }
        section(out, "Read-write locks", rw);

        TextTable data = new TextTable("KEY", "KIND", "VALUE", "EXPIRES IN");
        s.counters().forEach(c -> data.row(c.key(), "counter", c.value(), "-"));
        s.kvEntries().forEach(e -> data.row(e.key(), "entry", e.valueLen() + " bytes",
                e.ttlS() > 0 ? seconds(e.ttlS()) : "-"));
        s.lists().forEach(l -> data.row(l.key(), "list",
                l.len() + " items" + (l.popWaiters() > 0 ? ", " + l.popWaiters() + " waiting to pop" : ""), "-"));
        section(out, "Counters, entries and lists", data);

        TextTable barriers = new TextTable("BARRIER", "ARRIVED", "COUNT");
        s.barriers().forEach(b -> barriers.row(b.key(), b.participants(), b.count()));
        section(out, "Barriers", barriers);

        TextTable idle = new TextTable("KEY", "KIND", "IDLE FOR");
        s.idleLocks().forEach(i -> idle.row(i.key(), "lock", seconds(i.idleS())));
        s.idleSemaphores().forEach(i -> idle.row(i.key(), "semaphore", seconds(i.idleS())));
        section(out, "Idle (awaiting garbage collection)", idle);

        TextTable signals = new TextTable("PATTERN", "GROUP", "LISTENERS");
        for (Stats.SignalChannelStat c : s.signalChannels()) {
            signals.row(c.pattern(), c.group() == null ? "-" : c.group(), c.listeners());
        }
        section(out, "Signal channels", signals);

        TextTable watches = new TextTable("PATTERN", "WATCHERS");
        s.watchChannels().forEach(w -> watches.row(w.pattern(), w.watchers()));
        section(out, "Watches", watches);
        return out.toString();
    }

    private static void section(StringBuilder out, String title, TextTable table) {
        out.append(title).append(":\n");
        if (table.isEmpty()) {
            out.append("  (none)\n\n");
            return;
        }
        for (String line : table.render().split("\n")) {
            out.append("  ").append(line).append('\n');
        }
        out.append('\n');
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.1fs", s);
    }
}
