package org.reseq.egress.leader;

import java.time.Clock;
import java.time.Duration;
import org.reseq.egress.delivery.DeliveryChannels;
import org.reseq.egress.delivery.DeliveryMetrics;
import org.reseq.model.leader.Mailboxes;
import org.reseq.model.lease.Cursors;
import org.reseq.model.tracing.MessageTracing;

/**
 * What every egress leader shares. All of it is thread-safe.
 *
 * @param destinations reads a destination's configuration and pause flag
 * @param cursors writes the delivered cursor, fenced by the lease's epoch
 * @param out the out streams and the delivered signal
 * @param channels the delivery channel per destination type
 * @param mailboxes where released signals wake leaders
 * @param metrics delivered counter and delivery timer
 * @param clock time for the refresh interval and the gap timeout
 * @param pollInterval the wait without a signal after a round that found news, and the longest a
 *        configuration is trusted while a delivery is retried
 * @param idlePollInterval the longest wait without a signal, and the longest a configuration is trusted
 * @param gapTimeout how long a leader waits at a gap before it asks the resequencer to rewind
 * @param cursorCommitInterval the shortest time between two commits of the delivered cursor
 * @param deadLetters records messages rejected for good, and finds those to redeliver
 * @param redeliveries the operators' commands to egress per destination
 * @param heldHeads where the message held at the head of a line is shown to operators
 * @param tracing starts each delivery's span in its message's trace
 */
record LeaderContext(
        Destinations destinations,
        Cursors cursors,
        OutStream out,
        DeliveryChannels channels,
        Mailboxes<Wakeup> mailboxes,
        DeliveryMetrics metrics,
        Clock clock,
        Duration pollInterval,
        Duration idlePollInterval,
        Duration gapTimeout,
        Duration cursorCommitInterval,
        DeliveryDeadLetters deadLetters,
        Redeliveries redeliveries,
        HeldHeads heldHeads,
        MessageTracing tracing) {

    /** Leaders that trace nothing. */
    LeaderContext(Destinations destinations, Cursors cursors, OutStream out, DeliveryChannels channels,
                  Mailboxes<Wakeup> mailboxes, DeliveryMetrics metrics, Clock clock, Duration pollInterval,
                  Duration idlePollInterval, Duration gapTimeout, Duration cursorCommitInterval,
                  DeliveryDeadLetters deadLetters, Redeliveries redeliveries, HeldHeads heldHeads) {
        this(destinations, cursors, out, channels, mailboxes, metrics, clock, pollInterval, idlePollInterval,
                gapTimeout, cursorCommitInterval, deadLetters, redeliveries, heldHeads, MessageTracing.NOOP);
    }
}
