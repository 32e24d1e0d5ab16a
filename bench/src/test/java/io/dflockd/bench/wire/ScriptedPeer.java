package io.dflockd.bench.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A peer on a loopback socket that accepts one connection, reads one three-line request at a time,
 * hands its bytes to the test and answers with the reply the test scripted: for checking a raw
 * session's bytes on the wire and its reading of every reply shape.
 */
final class ScriptedPeer implements AutoCloseable {
    private final ServerSocket listener;
    private final Thread thread;
    private final BlockingQueue<byte[]> requests = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

    private ScriptedPeer(ServerSocket listener) {
        this.listener = listener;
        this.thread = new Thread(this::serve, "scripted-peer");
        thread.setDaemon(true);
        thread.start();
    }

    static ScriptedPeer start() throws IOException {
        return new ScriptedPeer(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    /** Scripts the reply line (without LF; one byte per char) to the next request. */
    void reply(String line) {
        replies.add(line);
    }

    /** The next request the peer received. */
    byte[] sent() throws InterruptedException {
        byte[] r = requests.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("a request reached the peer").isNotNull();
        return r;
    }

    private void serve() {
        try (Socket s = listener.accept()) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            while (true) {
                ByteArrayOutputStream req = new ByteArrayOutputStream();
                int lines = 0;
                while (lines < 3) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    req.write(b);
                    if (b == '\n') {
                        lines++;
                    }
                }
                requests.put(req.toByteArray());
                String reply = replies.poll(10, TimeUnit.SECONDS);
                if (reply == null) {
                    return;
                }
                out.write((reply + "\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the test closed the connection
        }
    }

    @Override
    public void close() throws Exception {
        listener.close();
        thread.join(5_000);
    }
}
