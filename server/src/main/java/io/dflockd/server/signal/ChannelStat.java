package io.dflockd.server.signal;

/**
 * One {@code signal_channels} entry of the {@code stats} reply (PROTOCOL.md §10): an exact channel
 * or wildcard pattern with its ungrouped listeners, or one queue group on a pattern with its
 * members.
 *
 * @param pattern the channel or pattern as subscribed
 * @param group the queue-group name, or {@code null} for the ungrouped entry (the JSON field is
 *     then omitted)
 * @param listeners subscribed connections, or group members
 */
public record ChannelStat(String pattern, String group, int listeners) {
}
