package io.dflockd.soak;

import io.dflockd.server.DflockdServer;
import io.dflockd.server.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/** Servers running inside this JVM (--embedded and the in-suite soak), each with a fence state file. */
final class InProcessServers implements Servers {
    private final List<DflockdServer> running = new ArrayList<>();
    private final List<ServerConfig> configs = new ArrayList<>();
    private final long gcInterval;
    private final long gcMaxIdle;

    InProcessServers(int count, Path stateDir, long gcInterval, long gcMaxIdle) throws IOException {
        this.gcInterval = gcInterval;
        this.gcMaxIdle = gcMaxIdle;
        try {
            for (int i = 0; i < count; i++) {
                ServerConfig first = config(0, stateDir.resolve("fence-" + i + ".state"));
                DflockdServer s = DflockdServer.start(first);
                running.add(s);
                // Restarts reuse the port the first start picked.
                configs.add(config(s.port(), first.fenceStateFile()));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private ServerConfig config(int port, Path stateFile) {
        return ServerConfig.builder().host("127.0.0.1").port(port).fenceStateFile(stateFile)
                .gcIntervalSeconds(gcInterval).gcMaxIdleSeconds(gcMaxIdle).build();
    }

    @Override
    public List<InetSocketAddress> addresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (ServerConfig c : configs) {
            out.add(new InetSocketAddress("127.0.0.1", c.port()));
        }
        return out;
    }

    @Override
    public boolean restartable() {
        return true;
    }

    @Override
    public synchronized void restart(int index, LongConsumer stopping, Runnable stopped) throws IOException {
        // close() is abrupt: every connection is dropped without a reply, like a crash. But unlike a
        // crash the server still runs while it closes them one by one: a holder's connection closed
        // first hands its slot to a waiter whose connection is still open, and that waiter reads the
        // grant, and checks it, before close() returns. The incarnation's grants therefore end when
        // close() begins, and the run must know that before close() begins.
        stopping.accept(System.nanoTime());
        running.get(index).close();
        stopped.run();
        running.set(index, DflockdServer.start(configs.get(index)));
    }

    @Override
    public long gcBoundSeconds() {
        return gcInterval + gcMaxIdle;
    }

    @Override
    public synchronized void close() {
        for (DflockdServer s : running) {
            s.close();
        }
    }
}
