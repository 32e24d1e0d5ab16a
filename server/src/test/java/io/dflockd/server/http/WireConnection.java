package io.dflockd.server.http;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** One TCP client connection speaking the wire lines of docs/PROTOCOL.md, no client library in between. */
final class WireConnection implements AutoCloseable {
    private final Socket socket = new Socket();
    private final BufferedReader in;
    private final OutputStream out;

    WireConnection(int port) throws IOException {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    /** Sends the three lines of one request and returns the reply line. */
    String call(String command, String key, String argument) throws IOException {
        send(command, key, argument);
        String line = in.readLine();
        if (line == null) {
            throw new EOFException("the server closed the connection after " + command + " " + key);
        }
        return line;
    }

    /** Sends the three lines of one request without reading its reply (a blocking call that is to wait). */
    void send(String command, String key, String argument) throws IOException {
        out.write((command + "\n" + key + "\n" + argument + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Takes the lock {@code key} (waiting up to 10 s) for {@code leaseSeconds}; returns its token. */
    String lock(String key, int leaseSeconds) throws IOException {
        String reply = call("l", key, "10 " + leaseSeconds);
        if (!reply.startsWith("ok ")) {
            throw new IllegalStateException("l " + key + ": " + reply);
        }
        return reply.split(" ")[1];
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
