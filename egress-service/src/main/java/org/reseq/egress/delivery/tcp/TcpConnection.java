package org.reseq.egress.delivery.tcp;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.reseq.egress.delivery.DestinationTls;
import org.reseq.model.destination.Framing;
import org.reseq.model.destination.TcpAck;
import org.reseq.model.guard.DestinationGuard;
import org.reseq.model.guard.DestinationRefusedException;

/**
 * One blocking connection to a TCP destination: connects on first use, writes frames, reads
 * reply lines. It connects only to an address the {@link DestinationGuard} allows, the very one
 * the guard resolved and judged. With {@code tls}, the connected socket is wrapped in TLS
 * ({@link DestinationTls}) and the handshake, which verifies the destination's certificate and
 * host name, is part of connecting: a failed one fails the connect.
 *
 * <p>Threads: used by one destination's leader at a time. {@link #close()} may come from any
 * thread (a timeout watchdog, shutdown): closing a {@link SocketChannel} is thread-safe and makes
 * an operation blocked on it fail at once, a TLS handshake or record included. That is also why
 * {@link #close()} never closes the TLS layer itself: that would send a {@code close_notify},
 * which can block behind a write in progress.
 */
final class TcpConnection implements AutoCloseable {

    /** Longer reply lines are a broken destination, not something to buffer without bound. */
    static final int MAX_REPLY_LINE = 8192;

    /** The largest TLS record's plaintext: frames are gathered up to it before they are encrypted. */
    private static final int TLS_WRITE_BUFFER = 16 * 1024;

    /** Where the connection goes and how it talks; a change of any of them needs a new connection. */
    record Endpoint(String host, int port, Framing framing, TcpAck ack, boolean tls) {
    }

    private final Endpoint endpoint;
    private final DestinationGuard guard;
    private final DestinationTls tls;
    private final SocketChannel channel;
    /** Over the channel's socket once connected with {@code tls}; null for plain TCP. */
    private SSLSocket secured;
    private InputStream securedIn;
    private OutputStream securedOut;
    /** Received bytes not yet consumed as reply lines; in read mode between calls. */
    private final ByteBuffer replies = ByteBuffer.allocate(MAX_REPLY_LINE).flip();

    TcpConnection(Endpoint endpoint, DestinationGuard guard, DestinationTls tls) throws IOException {
        this.endpoint = endpoint;
        this.guard = guard;
        this.tls = tls;
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
     * @throws javax.net.ssl.SSLException when the TLS handshake failed: nothing was written
     */
    boolean ready() throws IOException {
        if (!channel.isConnected()) {
            // The first address, as a socket address made from the host name would take.
            InetSocketAddress address = guard.resolve(endpoint.host(), endpoint.port()).getFirst();
            channel.connect(address);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (endpoint.tls()) {
                // The certificate is checked against the configured host name, not the address connected to.
                secured = tls.handshake(channel.socket(), endpoint.host(), endpoint.port());
                securedIn = secured.getInputStream();
                // Buffered so that the frames of a batch go out in as few TLS records as fit, as one flush.
                securedOut = new BufferedOutputStream(secured.getOutputStream(), TLS_WRITE_BUFFER);
            }
            return true;
        }
        return !(secured == null ? closedByPeer() : closedByPeerOverTls());
    }

    /**
     * Writes the frames back to back, in order, and flushes once: a pipelined batch goes out
     * without waiting for any acknowledgement. Plain TCP hands them to the operating system in
     * gathering writes, without copying them together first. Returns once the operating system
     * took every byte.
     */
    void write(List<byte[]> frames) throws IOException {
        if (secured != null) {
            for (byte[] frame : frames) {
                securedOut.write(frame);
            }
            securedOut.flush();
            return;
        }
        ByteBuffer[] buffers = frames.stream().map(ByteBuffer::wrap).toArray(ByteBuffer[]::new);
        int first = 0;
        while (first < buffers.length) {
            channel.write(buffers, first, buffers.length - first);
            while (first < buffers.length && !buffers[first].hasRemaining()) {
                first++;
            }
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
                if (readSome() < 0) {
                    throw new EOFException("the destination closed the connection");
                }
            } finally {
                replies.flip();
            }
        }
    }

    /** Reads what has arrived into {@link #replies} (in write mode), blocking until something has. */
    private int readSome() throws IOException {
        if (secured == null) {
            return channel.read(replies);
        }
        int read = securedIn.read(replies.array(), replies.arrayOffset() + replies.position(), replies.remaining());
        if (read > 0) {
            replies.position(replies.position() + read);
        }
        return read;
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

    /**
     * As {@link #closedByPeer()} over TLS, where a channel in non-blocking mode cannot be read
     * (and raw bytes must not be: they belong to TLS records). A read that gives up after a
     * millisecond is the closest thing; TLS keeps what it read of a record for the next read.
     */
    private boolean closedByPeerOverTls() throws IOException {
        int timeout = secured.getSoTimeout();
        secured.setSoTimeout(1);
        try {
            replies.clear();
            for (int reads = 0; reads < 16; reads++) {
                if (securedIn.read(replies.array(), replies.arrayOffset(), replies.capacity()) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } finally {
            replies.clear().flip();
            secured.setSoTimeout(timeout);
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
