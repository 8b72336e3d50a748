package org.reseq.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends one administrative command to Redis over a plain socket, as an operator's redis-cli would. */
final class RawRedis {

    private RawRedis() {
    }

    /** Empties database {@code database}: everything the suite kept there is gone. */
    static void flushDatabase(String host, int port, int database) {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("SELECT " + database + "\r\nFLUSHDB\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String replies = new String(in.readNBytes(10), StandardCharsets.US_ASCII);
            if (!replies.equals("+OK\r\n+OK\r\n")) {
                throw new IllegalStateException("Redis answered " + replies);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
