package io.dflockd.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Raft proxy over real loopback sockets: links forward, an isolated node's links carry nothing. */
class RaftProxyTest {
    private final ServerSocket[] nodes = new ServerSocket[3];
    private RaftProxy proxy;

    /** Three "nodes", each an echo server on its bind address. */
    private int[] startEchoNodes() throws IOException {
        int[] ports = new int[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = new ServerSocket(0, 16, InetAddress.getByName(RaftProxy.bindHost(i)));
            ports[i] = nodes[i].getLocalPort();
            ServerSocket s = nodes[i];
            Thread t = new Thread(() -> echo(s));
            t.setDaemon(true);
            t.start();
        }
        return ports;
    }

    private static void echo(ServerSocket s) {
        while (true) {
            try {
                Socket c = s.accept();
                Thread t = new Thread(() -> {
                    try (c) {
                        c.getInputStream().transferTo(c.getOutputStream());
                    } catch (IOException ignored) {
                        // the proxy cut it
                    }
                });
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Opens link from→to as node {@code from} would (its hosts file maps the peer's name there). */
    private static Socket link(int from, int to, int[] ports) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(RaftProxy.linkHost(from, to), ports[to]), 2000);
        s.setSoTimeout(5000); // a loaded machine may take a while to answer; silence is tested shorter
        return s;
    }

    private static int roundTrip(Socket s) throws IOException {
        s.getOutputStream().write(42);
        return s.getInputStream().read();
    }

    @AfterEach
    void close() throws IOException {
        if (proxy != null) {
            proxy.close();
        }
        for (ServerSocket s : nodes) {
            if (s != null) {
                s.close();
            }
        }
    }

    @Test
    void isolatingANodeCutsEveryLinkToAndFromItUntilTheHeal() throws Exception {
        int[] ports = startEchoNodes();
        proxy = new RaftProxy(ports);
        Socket toIsolated = link(0, 1, ports);
        Socket fromIsolated = link(1, 2, ports);
        Socket unrelated = link(2, 0, ports);
        assertThat(roundTrip(toIsolated)).isEqualTo(42);
        assertThat(roundTrip(fromIsolated)).isEqualTo(42);

        proxy.isolate(1);

        assertThat(readOrEnd(toIsolated)).isEqualTo(-1);
        assertThat(readOrEnd(fromIsolated)).isEqualTo(-1);
        assertThat(roundTrip(unrelated)).isEqualTo(42);
        Socket held = link(2, 1, ports); // accepted, but nothing comes back
        held.setSoTimeout(300);
        held.getOutputStream().write(42);
        assertThatThrownBy(() -> held.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

        proxy.heal();

        assertThat(roundTrip(link(2, 1, ports))).isEqualTo(42);
        assertThat(roundTrip(link(1, 0, ports))).isEqualTo(42);
        held.setSoTimeout(5000);
        assertThat(readOrEnd(held)).isEqualTo(-1);
    }

    @Test
    void everyNodeHasAHostsFileNamingEachPeerByItsOwnLinkAddress() {
        assertThat(RaftProxy.hostsFile(1, 3)).isEqualTo(
                "127.0.0.1 localhost\n127.0.2.1 n1\n127.0.2.2 n2\n127.0.2.3 n3\n");
    }

    /** -1 for a closed connection (an exception counts: a reset); anything else is a byte that crossed. */
    private static int readOrEnd(Socket s) {
        try {
            s.getOutputStream().write(7);
            InputStream in = s.getInputStream();
            return in.read();
        } catch (SocketTimeoutException e) {
            return -2;
        } catch (IOException e) {
            return -1;
        }
    }
}
