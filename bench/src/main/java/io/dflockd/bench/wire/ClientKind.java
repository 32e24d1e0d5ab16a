package io.dflockd.bench.wire;

import java.io.IOException;
import java.net.InetSocketAddress;

/** Which client drives the load: the real library (what users run) or raw sockets (the floor). */
public enum ClientKind {
    /** {@code io.dflockd.client.DflockdConnection} / {@code SignalConn}. */
    LIBRARY("library (io.dflockd.client)"),
    /** Pre-encoded requests on a blocking socket; no validation, no reply objects. */
    RAW("raw sockets");

    private final String description;

    ClientKind(String description) {
        this.description = description;
    }

    /** Human-readable name printed with every result. */
    public String description() {
        return description;
    }

    /** Opens one session of this kind to {@code server}, one of {@code endpoints}. */
    public Session open(Endpoints endpoints, InetSocketAddress server) throws IOException {
        return this == LIBRARY ? LibrarySession.open(endpoints.libraryConfig(), server) : RawSession.open(server);
    }
}
