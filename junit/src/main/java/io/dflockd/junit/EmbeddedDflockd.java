package io.dflockd.junit;

import io.dflockd.client.ClientConfig;
import io.dflockd.server.DflockdServer;
import io.dflockd.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * A real dflockd server inside the test JVM, on 127.0.0.1 and a free port that stays the same across
 * {@link #restart()}s, so clients configured once can reconnect. What a test gets from
 * {@link DflockdExtension}.
 */
public final class EmbeddedDflockd implements AutoCloseable {
    private final Consumer<ServerConfig.Builder> settings;
    private volatile DflockdServer server;
    private volatile int port;
    private volatile String authToken;

    EmbeddedDflockd(Consumer<ServerConfig.Builder> settings) {
        this.settings = settings;
    }

    /** Starts the server (on the port of the previous start, if any). */
    void start() {
        ServerConfig.Builder b = DflockdServer.builder().host("127.0.0.1").port(port);
        settings.accept(b);
        ServerConfig config = b.build();
        try {
            server = DflockdServer.start(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded dflockd server on port " + port, e);
        }
        port = server.port();
        authToken = config.authToken();
    }

    /** The port it listens on. */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>}. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** A client config for this server, with its auth token if it has one. */
    public ClientConfig clientConfig() {
        return ClientConfig.builder().server(hostPort()).authToken(authToken).build();
    }

    /** The running server, to look inside (locks, connections); throws if stopped. */
    public DflockdServer server() {
        DflockdServer s = server;
        if (s == null) {
            throw new IllegalStateException("the embedded dflockd server is stopped");
        }
        return s;
    }

    /** Whether it is running. */
    public boolean isRunning() {
        return server != null;
    }

    /**
     * Stops at once, as a crash would for the clients: every connection is closed, so every lock
     * and waiter is gone. Idempotent.
     */
    public void stop() {
        DflockdServer s = server;
        server = null;
        if (s != null) {
            s.close();
        }
    }

    /** Stops (if running) and starts again on the same port with the same settings: an empty server. */
    public void restart() {
        stop();
        start();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "EmbeddedDflockd[" + hostPort() + (isRunning() ? "" : ", stopped") + "]";
    }
}
