package org.reseq.egress.delivery.tcp;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The time limit of one delivery attempt: when it is up, the connection in use is closed, which
 * makes a connect, write or read blocked on it fail at once (none of them has a limit of its own).
 * The limit runs from the attempt's start to the first acknowledgement and then, for a pipelined
 * batch, from one acknowledgement to the next: a destination that keeps acknowledging is making
 * progress, however long the batch takes as a whole, while one that falls silent fails the attempt
 * within the limit.
 *
 * <p>Threads: made, re-armed and closed by the delivering thread (a destination's leader); the
 * timer fires on the channel's watchdog thread. A timer firing just as an acknowledgement arrives
 * may still close the connection: the attempt then fails as timed out, which it nearly was.
 */
final class AttemptDeadline implements AutoCloseable {

    private final ScheduledExecutorService watchdog;
    private final long timeoutMs;
    private final AtomicBoolean expired = new AtomicBoolean();
    private final AtomicReference<TcpConnection> watched = new AtomicReference<>();
    /** Written by the delivering thread only. */
    private ScheduledFuture<?> timer;

    AttemptDeadline(ScheduledExecutorService watchdog, long timeoutMs) {
        this.watchdog = watchdog;
        this.timeoutMs = timeoutMs;
        this.timer = schedule();
    }

    /** Puts {@code connection} under this deadline, closing it at once when the time is already up. */
    TcpConnection watch(TcpConnection connection) {
        watched.set(connection);
        if (expired.get()) {
            connection.close();
        }
        return connection;
    }

    /** An acknowledgement arrived: the destination has the whole limit again for the next one. */
    void progressed() {
        timer.cancel(false);
        if (!expired.get()) {
            timer = schedule();
        }
    }

    /** Whether the time ran out (and the watched connection was closed for it). */
    boolean expired() {
        return expired.get();
    }

    @Override
    public void close() {
        timer.cancel(false);
    }

    private ScheduledFuture<?> schedule() {
        return watchdog.schedule(this::expire, timeoutMs, TimeUnit.MILLISECONDS);
    }

    private void expire() {
        expired.set(true);
        TcpConnection inUse = watched.get();
        if (inUse != null) {
            inUse.close();
        }
    }
}
