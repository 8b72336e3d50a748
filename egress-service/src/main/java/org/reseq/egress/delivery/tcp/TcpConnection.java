package org.reseq.egress.delivery.tcp;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import org.reseq.model.destination.Framing;
import org.reseq.model.destination.TcpAck;
import org.reseq.model.guard.DestinationGuard;
import org.reseq.model.guard.DestinationRefusedException;

/**
 * One blocking connection to a TCP destination: connects on first use, writes frames, reads
 * reply lines. It connects only to an address the {@link DestinationGuard} allows, the very one
 * the guard resolved and judged.
 *
 * <p>Threads: used by one destination's leader at a time. {@link #close()} may come from any
 * thread (a timeout watchdog, shutdown): closing a {@link SocketChannel} is thread-safe and makes
 * an operation blocked on it fail at once.
 */
final class TcpConnection implements AutoCloseable {

    /** Longer reply lines are a broken destination, not something to buffer without bound. */
    static final int MAX_REPLY_LINE = 8192;

    /** Where the connection goes and how it talks; a change of any of them needs a new connection. */
    record Endpoint(String host, int port, Framing framing, TcpAck ack) {
    }

    private final Endpoint endpoint;
    private final DestinationGuard guard;
    private final SocketChannel channel;
    /** Received bytes not yet consumed as reply lines; in read mode between calls. */
    private final ByteBuffer replies = ByteBuffer.allocate(MAX_REPLY_LINE).flip();

    TcpConnection(Endpoint endpoint, DestinationGuard guard) throws IOException {
        this.endpoint = endpoint;
        this.guard = guard;
        this.channel = SocketChannel.open();
    }

    Endpoint endpoint() {
        return endpoint;
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    /**
     * Connects unless connected. On a connection already in use, first checks whether the
     * destination closed it while idle: a message written into a half-closed connection could
     * count as written without ever arriving.
     *
     * @return false when the destination closed it: this connection is done, use a new one
     * @throws DestinationRefusedException when the guard refuses the destination: nothing was connected
     */
    boolean ready() throws IOException {
        if (!channel.isConnected()) {
            // The first address, as a socket address made from the host name would take.
            InetSocketAddress address = guard.resolve(endpoint.host(), endpoint.port()).getFirst();
            channel.connect(address);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return true;
        }
        return !closedByPeer();
    }

    /** Writes the whole frame; returns once the operating system took every byte. */
    void write(byte[] frame) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Reads one reply line (without its line break), blocking until it is complete. */
    String readLine() throws IOException {
        while (true) {
            for (int i = replies.position(); i < replies.limit(); i++) {
                if (replies.get(i) == '\n') {
                    int end = i > replies.position() && replies.get(i - 1) == '\r' ? i - 1 : i;
                    String line = new String(replies.array(), replies.position(), end - replies.position(),
                            StandardCharsets.UTF_8);
                    replies.position(i + 1);
                    return line;
                }
            }
            replies.compact();
            try {
                if (!replies.hasRemaining()) {
                    throw new IOException("reply line longer than " + MAX_REPLY_LINE + " bytes");
                }
                if (channel.read(replies) < 0) {
                    throw new EOFException("the destination closed the connection");
                }
            } finally {
                replies.flip();
            }
        }
    }

    /**
     * Looks, without blocking, whether the destination closed the connection. Whatever it sent
     * unasked is dropped: one reply line belongs to each message, and none is outstanding here.
     */
    private boolean closedByPeer() throws IOException {
        channel.configureBlocking(false);
        try {
            replies.clear();
            for (int reads = 0; reads < 16; reads++) {
                int read = channel.read(replies);
                if (read < 0) {
                    return true;
                }
                if (read == 0) {
                    return false;
                }
                replies.clear();
            }
            return false;
        } finally {
            replies.clear().flip();
            channel.configureBlocking(true);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing more to do with a connection that failed to close: it is gone either way.
        }
    }
}
