package org.reseq.egress.delivery.tcp;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.AsynchronousCloseException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
 * <p>Threads: blocking socket I/O on the calling thread, a destination's leader, which has its
 * own thread and one message in flight at most anyway: an event loop would buy nothing here. An interrupt (the leader giving its lease up) closes the blocked channel and ends
 * the delivery at once with {@link InterruptedException}. The connection map is concurrent so
 * that {@link #release} and {@link #destroy} may come from any thread; a connection itself is
 * used by its destination's leader only. One watchdog thread bounds every attempt (connect, write
 * and ack together) by the destination's {@code deliveryTimeoutMs}: it closes the connection when
 * the time is up, which also covers a connect or write that would otherwise block without limit.
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
        byte[] frame;
        try {
            frame = TcpFraming.frame(config.framing(), delivery.payload());
        } catch (IllegalArgumentException e) {
            throw DeliveryStoppedException.undeliverable(e.getMessage());
        }
        TcpConnection.Endpoint endpoint = new TcpConnection.Endpoint(config.host(), config.port(), config.framing(),
                config.ack(), Boolean.TRUE.equals(config.tls()));
        retry.run(delivery.destination(),
                DeliveryRetry.OnPermanentFailure.of(config.onFailure(), delivery.redelivery()),
                () -> attempt(delivery.destination(), endpoint, frame, config.deliveryTimeoutMs(), guard), guard);
    }

    private void attempt(String destination, TcpConnection.Endpoint endpoint, byte[] frame, long timeoutMs,
                         RetryGuard guard) throws DeliveryAttemptFailedException, InterruptedException {
        AtomicBoolean expired = new AtomicBoolean();
        AtomicReference<TcpConnection> watched = new AtomicReference<>();
        ScheduledFuture<?> timer = watchdog.schedule(() -> {
            expired.set(true);
            TcpConnection inUse = watched.get();
            if (inUse != null) {
                inUse.close();
            }
        }, timeoutMs, TimeUnit.MILLISECONDS);
        TcpConnection connection = null;
        try {
            connection = watch(watched, expired, connection(destination, endpoint));
            if (!connection.ready()) {
                // Closed by the destination while idle: nothing was written, so start over at once.
                forget(destination, connection);
                connection = watch(watched, expired, connection(destination, endpoint));
                connection.ready();
            }
            guard.beforeSend();
            connection.write(frame);
            if (endpoint.ack() == TcpAck.LINE) {
                String reply = connection.readLine();
                if (!TcpFraming.acknowledges(reply)) {
                    throw new DeliveryAttemptFailedException("answered " + abbreviate(reply));
                }
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
            throw new DeliveryAttemptFailedException(expired.get()
                    ? "not accepted within " + timeoutMs + " ms" : describe(e));
        } finally {
            timer.cancel(false);
        }
    }

    /** Puts {@code connection} under the attempt's timer, closing it at once when the time is already up. */
    private static TcpConnection watch(AtomicReference<TcpConnection> watched, AtomicBoolean expired,
                                       TcpConnection connection) {
        watched.set(connection);
        if (expired.get()) {
            connection.close();
        }
        return connection;
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
