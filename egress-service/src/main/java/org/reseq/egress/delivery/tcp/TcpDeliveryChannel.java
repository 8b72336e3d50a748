package org.reseq.egress.delivery.tcp;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.AsynchronousCloseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.reseq.egress.delivery.Delivery;
import org.reseq.egress.delivery.DeliveryAttemptFailedException;
import org.reseq.egress.delivery.DeliveryChannel;
import org.reseq.egress.delivery.DeliveryRetry;
import org.reseq.egress.delivery.DeliveryStoppedException;
import org.reseq.egress.delivery.DestinationTls;
import org.reseq.egress.delivery.RetryGuard;
import org.reseq.model.destination.DestinationConfig;
import org.reseq.model.destination.DestinationType;
import org.reseq.model.destination.TcpAck;
import org.reseq.model.guard.DestinationGuard;
import org.reseq.model.guard.DestinationRefusedException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Writes each message to its TCP destination's {@code host:port} over one connection per
 * destination, framed as the destination says ({@link TcpFraming}). With {@code ack: LINE} a
 * message counts as accepted once the destination answered one line that does not start with
 * {@code ERR}; with {@code ack: NONE} once the whole frame was written. Anything else (an
 * {@code ERR} line, a refused or broken connection, no answer within {@code deliveryTimeoutMs})
 * is retried through {@link DeliveryRetry}; every failure but {@code ERR} closes the connection
 * first, so the retry starts on a new one and cannot read a late answer meant for an earlier try.
 * A destination the {@link DestinationGuard} refuses when connecting is a permanent failure, as
 * an HTTP destination's 4xx is: after {@code reseq.egress.permanent-failure-attempts} the
 * destination's {@code onFailure} policy decides. A destination with {@code tls: true} is reached
 * over TLS ({@link DestinationTls}); a failed handshake, an untrusted or mismatched certificate
 * among the causes, fails the attempt as a refused connection does, retried the same way.
 *
 * <p>A destination with batched delivery gets its batch pipelined: every frame written back to
 * back, in sequence order, with one flush, then (with {@code ack: LINE}) one reply line read per
 * frame, in the same order, as TCP keeps it. The batch counts as accepted once every frame was
 * acknowledged; any failure, at whichever frame, fails the attempt for the whole batch, which is
 * then retried as a whole: the frames acknowledged before it are sent again (at least once, as a
 * single message cut off by a broken connection is). A batch failing before its last reply closes
 * the connection, since the replies of the rest are still due on it and a retry on it would take
 * them for its own. Replies carry nothing to match them with their frames but their order.
 *
 * <p>Threads: blocking socket I/O on the calling thread, a destination's leader, which has its
 * own thread and one exchange (a message or a batch) in flight at most anyway: an event loop
 * would buy nothing here. An interrupt (the leader giving its lease up) closes the blocked channel
 * and ends the delivery at once with {@link InterruptedException}. The connection map is
 * concurrent so that {@link #abort}, {@link #release} and {@link #destroy} may come from any
 * thread; a connection itself is used by its destination's leader only. One watchdog thread
 * bounds every attempt by the destination's {@code deliveryTimeoutMs} ({@link AttemptDeadline}:
 * connect, write and first ack, then each further ack of a batch): it closes the connection when
 * the time is up, which also covers a connect or write that would otherwise block without limit.
 *
 * <p>While a batch is written its replies are not read yet: they wait in the socket buffers of
 * both ends. A receiver that stops reading while it cannot write its replies would stall the
 * write until the deadline fails the attempt, and every retry of that batch the same way; replies
 * of a few bytes each for at most {@code maxMessages} (10,000) frames fit those buffers in
 * practice, so the replies are not read on a second thread while writing.
 */
@Component
public final class TcpDeliveryChannel implements DeliveryChannel, DisposableBean {

    private final DeliveryRetry retry;
    private final DestinationGuard destinationGuard;
    private final DestinationTls tls;
    private final Map<String, TcpConnection> connections = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor watchdog;

    public TcpDeliveryChannel(DeliveryRetry retry, DestinationGuard destinationGuard, DestinationTls tls) {
        this.retry = retry;
        this.destinationGuard = destinationGuard;
        this.tls = tls;
        this.watchdog = new ScheduledThreadPoolExecutor(1, Thread.ofVirtual().name("tcp-delivery-watchdog").factory());
        // A timer per message that almost always completes in time: do not keep the cancelled ones queued.
        this.watchdog.setRemoveOnCancelPolicy(true);
    }

    @Override
    public DestinationType type() {
        return DestinationType.TCP;
    }

    @Override
    public void deliver(DestinationConfig config, Delivery delivery, RetryGuard guard) throws Exception {
        List<byte[]> frames = frames(config, List.of(delivery));
        retry.run(delivery.destination(),
                DeliveryRetry.OnPermanentFailure.of(config.onFailure(), delivery.redelivery()),
                () -> attempt(delivery.destination(), endpoint(config), frames, config.deliveryTimeoutMs(), guard),
                guard);
    }

    @Override
    public boolean batches() {
        return true;
    }

    @Override
    public void deliverBatch(DestinationConfig config, List<Delivery> batch, RetryGuard guard) throws Exception {
        List<byte[]> frames = frames(config, batch);
        String destination = batch.getFirst().destination();
        DeliveryRetry.OnPermanentFailure onPermanent = batch.size() == 1
                ? DeliveryRetry.OnPermanentFailure.of(config.onFailure(), false)
                : DeliveryRetry.OnPermanentFailure.GIVE_UP; // the caller looks for the one rejected
        retry.run(destination, onPermanent,
                () -> attempt(destination, endpoint(config), frames, config.deliveryTimeoutMs(), guard), guard);
    }

    /**
     * The messages' frames, in order; framed once for every attempt.
     *
     * @throws DeliveryStoppedException when one cannot be framed as configured: nothing is sent
     */
    private static List<byte[]> frames(DestinationConfig config, List<Delivery> deliveries)
            throws DeliveryStoppedException {
        List<byte[]> frames = new ArrayList<>(deliveries.size());
        for (Delivery delivery : deliveries) {
            try {
                frames.add(TcpFraming.frame(config.framing(), delivery.payload()));
            } catch (IllegalArgumentException e) {
                throw DeliveryStoppedException.undeliverable(deliveries.size() == 1 ? e.getMessage()
                        : "sequence " + delivery.sequence() + ": " + e.getMessage());
            }
        }
        return frames;
    }

    private static TcpConnection.Endpoint endpoint(DestinationConfig config) {
        return new TcpConnection.Endpoint(config.host(), config.port(), config.framing(), config.ack(),
                Boolean.TRUE.equals(config.tls()));
    }

    /** One attempt: writes every frame, then awaits their acknowledgements when the destination sends them. */
    private void attempt(String destination, TcpConnection.Endpoint endpoint, List<byte[]> frames, long timeoutMs,
                         RetryGuard guard) throws DeliveryAttemptFailedException, InterruptedException {
        AttemptDeadline deadline = new AttemptDeadline(watchdog, timeoutMs);
        TcpConnection connection = null;
        try {
            connection = deadline.watch(connection(destination, endpoint));
            if (!connection.ready()) {
                // Closed by the destination while idle: nothing was written, so start over at once.
                forget(destination, connection);
                connection = deadline.watch(connection(destination, endpoint));
                connection.ready();
            }
            guard.beforeSend();
            connection.write(frames);
            if (endpoint.ack() == TcpAck.LINE) {
                awaitAcks(destination, connection, frames.size(), deadline);
            }
        } catch (DestinationRefusedException e) {
            if (connection != null) {
                forget(destination, connection);
            }
            throw DeliveryAttemptFailedException.permanent(e.getMessage());
        } catch (IOException e) {
            if (connection != null) {
                forget(destination, connection);
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("Delivery to " + destination + " interrupted");
            }
            throw new DeliveryAttemptFailedException(deadline.expired()
                    ? "not accepted within " + timeoutMs + " ms" : describe(e));
        } finally {
            deadline.close();
        }
    }

    /**
     * Reads one reply line per frame written, in order: the n-th line answers the n-th frame. An
     * {@code ERR} answer fails the attempt; before the last reply it also closes the connection,
     * on which the replies to the later frames are still due.
     */
    private void awaitAcks(String destination, TcpConnection connection, int frames, AttemptDeadline deadline)
            throws IOException, DeliveryAttemptFailedException {
        for (int n = 1; n <= frames; n++) {
            String reply = connection.readLine();
            if (!TcpFraming.acknowledges(reply)) {
                if (n < frames) {
                    forget(destination, connection);
                }
                throw new DeliveryAttemptFailedException((frames == 1 ? "" : "frame " + n + " of " + frames + " ")
                        + "answered " + abbreviate(reply));
            }
            if (n < frames) {
                deadline.progressed();
            }
        }
    }

    /** The destination's open connection to {@code endpoint}, or a new, not yet connected one. */
    private TcpConnection connection(String destination, TcpConnection.Endpoint endpoint) throws IOException {
        TcpConnection current = connections.get(destination);
        if (current != null && current.isOpen() && current.endpoint().equals(endpoint)) {
            return current;
        }
        if (current != null) {
            forget(destination, current);
        }
        TcpConnection created = new TcpConnection(endpoint, destinationGuard, tls);
        connections.put(destination, created);
        return created;
    }

    private void forget(String destination, TcpConnection connection) {
        connection.close();
        connections.remove(destination, connection);
    }

    @Override
    public void abort(String destination) {
        TcpConnection connection = connections.get(destination);
        if (connection != null) {
            connection.close(); // the blocked write or read fails at once; the next attempt connects anew
        }
    }

    @Override
    public void release(String destination) {
        TcpConnection connection = connections.remove(destination);
        if (connection != null) {
            connection.close();
        }
    }

    @Override
    public void destroy() {
        watchdog.shutdownNow();
        connections.values().forEach(TcpConnection::close);
        connections.clear();
    }

    private static String describe(IOException failure) {
        if (failure instanceof ConnectException) {
            return "cannot connect: " + failure.getMessage();
        }
        if (failure instanceof AsynchronousCloseException) {
            return "connection closed while in use";
        }
        if (failure instanceof SSLHandshakeException) {
            return "TLS handshake failed: " + failure.getMessage();
        }
        if (failure instanceof SSLException) {
            return "TLS failed: " + failure.getMessage();
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    private static String abbreviate(String reply) {
        return reply.length() <= 200 ? reply : reply.substring(0, 200) + "...";
    }
}
