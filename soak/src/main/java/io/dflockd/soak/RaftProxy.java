package io.dflockd.soak;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A fault-injecting TCP proxy on every directed Raft link of a loopback cluster, as planned in
 * CLUSTER-DESIGN.md §5.3. Node {@code i} (1-based) binds its Raft port {@code p_i} on
 * {@code 127.0.i.i}; its own hosts file ({@code -Djdk.net.hosts.file}) resolves each peer name
 * {@code nj} to {@code 127.0.i.j}, where this proxy listens on {@code p_j} and forwards to
 * {@code 127.0.j.j:p_j}. Ratis replicates the peer
 * addresses ({@code nj:p_j}) in its configuration, so the per-node views differ by name resolution
 * only, and every link {@code i→j} is a listener of its own.
 *
 * <p>{@link #isolate} cuts every link to and from one node: open connections are closed and new ones
 * accepted but never answered (a black hole), so no byte crosses; the node's client port is not
 * touched. {@link #heal} forwards again.
 */
final class RaftProxy implements AutoCloseable {
    private final List<Link> links = new ArrayList<>();
    private volatile int isolated = -1;

    /** Listens on every link of {@code raftPorts.length} nodes; {@code raftPorts[i]} is node {@code i+1}'s. */
    RaftProxy(int[] raftPorts) throws IOException {
        try {
            for (int from = 0; from < raftPorts.length; from++) {
                for (int to = 0; to < raftPorts.length; to++) {
                    if (from != to) {
                        links.add(new Link(from, to, raftPorts[to]));
                    }
                }
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        links.forEach(Link::start);
    }

    /** The address node {@code i} (0-based) binds its Raft port on. */
    static String bindHost(int i) {
        return linkHost(i, i);
    }

    /** Where node {@code from} reaches node {@code to} (0-based): its hosts file maps {@code n<to+1>} here. */
    static String linkHost(int from, int to) {
        return "127.0." + (from + 1) + "." + (to + 1);
    }

    /** The hosts file of node {@code i} among {@code n} nodes. */
    static String hostsFile(int i, int n) {
        StringBuilder b = new StringBuilder("127.0.0.1 localhost\n");
        for (int j = 0; j < n; j++) {
            b.append(linkHost(i, j)).append(" n").append(j + 1).append('\n');
        }
        return b.toString();
    }

    /** Cuts node {@code node} (0-based) off from every peer, at once and for every link. */
    void isolate(int node) {
        isolated = node;
        for (Link l : links) {
            if (l.touches(node)) {
                l.cut();
            }
        }
    }

    /** Forwards on every link again; what was held in the black hole is closed (the peers reconnect). */
    void heal() {
        int node = isolated;
        isolated = -1;
        for (Link l : links) {
            if (l.touches(node)) {
                l.cut();
            }
        }
    }

    @Override
    public void close() {
        for (Link l : links) {
            l.close();
        }
    }

    /** One directed link: a listener, and the connection pairs it forwards (or holds silent). */
    private final class Link {
        private final int from;
        private final int to;
        private final InetSocketAddress target;
        private final ServerSocket listener;
        /** Every open socket of this link, both sides; guarded by itself. */
        private final List<Socket> open = new ArrayList<>();

        Link(int from, int to, int port) throws IOException {
            this.from = from;
            this.to = to;
            this.target = new InetSocketAddress(InetAddress.getByName(bindHost(to)), port);
            this.listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getByName(linkHost(from, to)), port), 64);
        }

        boolean touches(int node) {
            return from == node || to == node;
        }

        void start() {
            daemon(this::acceptLoop, "soak-raft-proxy-n" + (from + 1) + "-n" + (to + 1));
        }

        private void acceptLoop() {
            while (!listener.isClosed()) {
                Socket in;
                try {
                    in = listener.accept();
                } catch (IOException e) {
                    return; // closed
                }
                track(in);
                if (isolated >= 0 && touches(isolated)) {
                    continue; // the black hole: accepted, never read, closed at heal
                }
                try {
                    Socket out = new Socket();
                    track(out);
                    out.connect(target, 2000);
                    daemon(() -> pump(in, out), "soak-raft-pump");
                    daemon(() -> pump(out, in), "soak-raft-pump");
                } catch (IOException e) {
                    close(in); // the node is down: the peer sees a reset, as without a proxy
                }
            }
        }

        private void pump(Socket src, Socket dst) {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = src.getInputStream(); OutputStream out = dst.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // either side closed or was cut
            } finally {
                close(src);
                close(dst);
            }
        }

        private void track(Socket s) {
            synchronized (open) {
                open.add(s);
            }
        }

        /** Closes every connection of the link; later ones are forwarded or held by the isolation then current. */
        void cut() {
            List<Socket> all;
            synchronized (open) {
                all = new ArrayList<>(open);
                open.clear();
            }
            all.forEach(this::close);
        }

        private void close(Socket s) {
            synchronized (open) {
                open.remove(s);
            }
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        void close() {
            try {
                listener.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            cut();
        }
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }
}
