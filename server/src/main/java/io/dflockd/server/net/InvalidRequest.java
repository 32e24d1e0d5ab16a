package io.dflockd.server.net;

import io.dflockd.protocol.Command;
import io.dflockd.protocol.ProtocolException;

/**
 * A complete request that breaks the grammar: the session answers {@code error} (or
 * {@code error_auth}, {@code error_draining}, as its state demands) and keeps the connection.
 *
 * @param command the command of line 1, {@code null} when unknown
 * @param key     line 2 as read (for the debug log)
 * @param arg     line 3 as read (for the debug log)
 * @param error   the rule broken, with its code for the log
 */
record InvalidRequest(Command command, String key, String arg, ProtocolException error) {
}
