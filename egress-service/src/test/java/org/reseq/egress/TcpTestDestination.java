package org.reseq.egress;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.reseq.model.destination.Framing;

/**
 * A TCP destination for tests: a {@link ServerSocket} on a loopback port, each connection served
 * by its own virtual thread. It records every frame it reads, in order, over all connections, and
 * answers each with {@code OK <n>} (n counts frames from 1) when it replies at all; told so, it
 * answers a given frame with {@code ERR}, closes the connection instead of answering, or stays
 * silent. It also counts connections: accepted and ended. Made with a TLS context, it serves TLS
 * only: a connection whose handshake fails ends without a frame read. Told to hold its acks up to
 * a frame, it answers none before that frame arrived, then all of them at once: a client waiting
 * for each ack before writing the next frame would never get there.
 */
public final class TcpTestDestination implements AutoCloseable {

    /** What to do after reading a frame. */
    public enum Reaction {
        /** Answer {@code OK <n>} when replying at all. */
        ACK,
        /** Answer {@code ERR ...}, keep the connection. */
        ERR,
        /** Close the connection without answering. */
        CLOSE,
        /** Answer nothing, keep the connection. */
        SILENT
    }

    private final ServerSocket server;
    private final Framing framing;
    private final boolean replies;
    private final List<byte[]> frames = new ArrayList<>();
    private final Map<Integer, Reaction> reactions = new ConcurrentHashMap<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private volatile int holdAcksUpTo;

    /** Listens on a free port. */
    public TcpTestDestination(Framing framing, boolean replies) {
        this(0, framing, replies);
    }

    /** Listens on {@code port}, 0 for a free one. */
    public TcpTestDestination(int port, Framing framing, boolean replies) {
        this(port, framing, replies, null);
    }

    /** Listens over TLS on a free port, presenting the key of {@code tls}. */
    public static TcpTestDestination overTls(Framing framing, boolean replies, SSLContext tls) {
        return new TcpTestDestination(0, framing, replies, tls);
    }

    private TcpTestDestination(int port, Framing framing, boolean replies, SSLContext tls) {
        this.framing = framing;
        this.replies = replies;
        try {
            server = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("tcp-test-destination").start(this::acceptAll);
    }

    /** A loopback port nothing listens on right now. */
    public static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** React to the {@code frame}-th frame received (counting from 1 over all connections) with {@code reaction}. */
    public void on(int frame, Reaction reaction) {
        reactions.put(frame, reaction);
    }

    /** Answers no frame before the {@code frame}-th (counting from 1 over all connections) arrived, then all at once. */
    public void holdAcks(int frame) {
        holdAcksUpTo = frame;
    }

    /** Every frame received so far, in order. */
    public synchronized List<byte[]> frames() {
        return List.copyOf(frames);
    }

    /** Every frame received so far as UTF-8 text, in order. */
    public List<String> lines() {
        return frames().stream().map(frame -> new String(frame, StandardCharsets.UTF_8)).toList();
    }

    public int accepted() {
        return accepted.get();
    }

    /** Connections that ended, by either side. */
    public int ended() {
        return ended.get();
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                synchronized (this) {
                    sockets.add(socket);
                }
                accepted.incrementAndGet();
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            OutputStream out = socket.getOutputStream();
            StringBuilder held = new StringBuilder();
            while (true) {
                byte[] frame = read(in);
                int number;
                synchronized (this) {
                    frames.add(frame);
                    number = frames.size();
                }
                Reaction reaction = reactions.getOrDefault(number, Reaction.ACK);
                switch (reaction) {
                    case CLOSE -> {
                        return;
                    }
                    case SILENT -> {
                    }
                    case ERR -> reply(out, "ERR busy, try again");
                    case ACK -> {
                        if (replies && number < holdAcksUpTo) {
                            held.append("OK ").append(number).append('\n');
                        } else if (replies) {
                            reply(out, held + "OK " + number);
                            held.setLength(0);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // The client went away (EOF or reset): the connection ended.
        } finally {
            ended.incrementAndGet();
        }
    }

    private byte[] read(DataInputStream in) throws IOException {
        if (framing == Framing.LENGTH_PREFIXED) {
            byte[] frame = new byte[in.readInt()];
            in.readFully(frame);
            return frame;
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException();
            }
            line.write(b);
        }
        return line.toByteArray();
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        try {
            server.close();
            synchronized (this) {
                for (Socket socket : sockets) {
                    socket.close();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
