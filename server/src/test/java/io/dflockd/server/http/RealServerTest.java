package io.dflockd.server.http;

import io.dflockd.server.DflockdServer;
import io.dflockd.server.ServerConfig;
import java.io.IOException;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;

/** A real server with its HTTP port on, started by each test, closed after it. */
abstract class RealServerTest {
    DflockdServer server;
    ApiClient api;

    void start(UnaryOperator<ServerConfig.Builder> tweak) throws IOException {
        server = DflockdServer.start(tweak.apply(ServerConfig.builder().host("127.0.0.1").port(0).httpAnyFreePort())
                .build());
        api = new ApiClient(server);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }
}
