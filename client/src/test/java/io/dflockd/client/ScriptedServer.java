package io.dflockd.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;

/**
 * A scripted fake server on a real TCP port for tests of reply handling that a correct server
 * never produces (malformed replies, unknown statuses, EOF mid-call). For each three-line request
 * the responder returns the raw bytes to write (may hold several lines, e.g. a push and a reply),
 * or {@code null} to close the connection.
 */
final class ScriptedServer implements AutoCloseable {
    final LinkedBlockingQueue<String> requests = new LinkedBlockingQueue<>();
    private final ServerSocket socket;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    ScriptedServer(Function<String[], String> responder) throws IOException {
        socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    accepted.add(s);
                    Thread h = new Thread(() -> serve(s, responder), "scripted-conn");
                    h.setDaemon(true);
                    h.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "scripted-accept");
        t.setDaemon(true);
        t.start();
    }

    private void serve(Socket s, Function<String[], String> responder) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream out = s.getOutputStream();
            while (true) {
                String cmd = in.readLine();
                String key = in.readLine();
                String arg = in.readLine();
                if (cmd == null || key == null || arg == null) {
                    return;
                }
                requests.add(cmd + "|" + key + "|" + arg);
                String reply = responder.apply(new String[] {cmd, key, arg});
                if (reply == null) {
                    return;
                }
                out.write(reply.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // connection ended
        }
    }

    String hostPort() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
    }

    ClientConfig config() {
        return ClientConfig.builder().server(hostPort()).build();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket s : accepted) {
            s.close();
        }
    }
}
