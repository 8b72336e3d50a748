package org.reseq.resequencer.lead;

import java.sql.SQLException;
import java.util.Set;
import org.reseq.resequencer.dispatch.Dispatcher;
import org.reseq.resequencer.dispatch.Dispatcher.Dispatched;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a destination's dispatch window full: every delivery up to {@code min(last, delivered +
 * window)} goes on the work stream once, in chunks of at most {@link Dispatcher#CHUNK_BYTES}, and
 * only while the payload dispatched past the delivered cursor stays under {@code window-bytes}:
 * both bound what Redis holds however far egress falls behind, in count and in bytes. A head that waits for its result past the head deadline is dispatched again
 * ({@link HeadWatchdog}).
 *
 * <p>Owned by the leader's thread.
 */
final class DispatchWindow {

    private static final Logger log = LoggerFactory.getLogger(DispatchWindow.class);

    private final LedDestination led;
    private final LeaderContext context;
    private final HeadWatchdog watchdog;
    private final DispatchedBytes dispatchedBytes = new DispatchedBytes();

    DispatchWindow(LedDestination led, LeaderContext context) {
        this.led = led;
        this.context = context;
        this.watchdog = new HeadWatchdog(context.headDeadline());
    }

    /**
     * Dispatches what the window allows past the dispatched cursor, once the configuration is known.
     *
     * @return whether results are ready now (deliveries with nothing to transform): the caller
     *         releases again rather than wait for the next step
     */
    boolean fill() throws SQLException {
        Line line = led.line();
        Dispatcher.Config config = led.settings().dispatchConfig();
        long upTo = Math.min(led.lastSequence(), led.delivered() + context.window());
        dispatchedBytes.deliveredUpTo(led.delivered());
        boolean finished = false;
        while (config != null && upTo > line.dispatched() && dispatchedBytes.bytes() < context.windowBytes()) {
            long from = line.dispatched();
            Dispatched result = context.dispatcher().dispatch(led.incarnation(), from, upTo, line.known(),
                    config, context.windowBytes() - dispatchedBytes.bytes());
            if (result.highest() == from) {
                break; // nothing stored there yet: the next poll looks again
            }
            line.dispatchedUpTo(result.highest());
            result.read().forEach(read -> dispatchedBytes.dispatched(read.sequence(), read.bytes()));
            finished |= line.finishedAtDispatch(result.finished());
            context.metrics().dispatched(led.name(), result.sent());
        }
        return finished;
    }

    /** Dispatches the head again when it has waited past the head deadline. */
    void watchHead() throws SQLException {
        Line line = led.line();
        long head = line.released() + 1;
        watchdog.budget(led.settings().transformBudget());
        if (!watchdog.overdue(head, line.headWaiting(), context.clock().millis())) {
            return;
        }
        Dispatched again = context.dispatcher().dispatch(led.incarnation(), head - 1, head, Set.of(),
                led.settings().dispatchConfig());
        line.finishedAtDispatch(again.finished());
        if (again.sent() > 0) {
            log.warn("{} #{} has no result after {}; dispatched it again", led.name(), head, watchdog.deadline());
            context.metrics().headRedispatched(led.name());
        }
    }

    /** Forgets the head watched so far: after a rewind the line starts again. */
    void reset() {
        watchdog.reset();
        dispatchedBytes.clear();
    }
}
