package io.dflockd.bench.wire;

import io.dflockd.protocol.Request;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A raw session of kind {@code S} connected to a fresh {@link ScriptedPeer} for each test. */
abstract class ScriptedSessionTest<S extends Connection> {
    protected ScriptedPeer peer;
    protected S session;

    /** Opens the session under test to {@code address}. */
    abstract S open(InetSocketAddress address) throws IOException;

    @BeforeEach
    void start() throws IOException {
        peer = ScriptedPeer.start();
        session = open(peer.address());
    }

    @AfterEach
    void stop() throws Exception {
        session.close();
        peer.close();
    }

    /** What the codec sends for {@code r}, as the bench's clients encode it. */
    static byte[] codec(Request r) {
        return r.encode(StandardCharsets.UTF_8);
    }
}
