package org.reseq.resequencer.lead;

import java.time.Clock;
import java.time.Duration;
import org.reseq.model.leader.Mailboxes;
import org.reseq.model.lease.Cursors;
import org.reseq.resequencer.dispatch.Dispatcher;
import org.reseq.resequencer.failure.DeadLetterRecorder;
import org.reseq.resequencer.failure.OperatorCommands;
import org.reseq.resequencer.release.ResultBuffer;

/**
 * What every leader shares: the thread-safe collaborators and the settings.
 *
 * @param dispatcher reads deliveries and puts them on the work stream
 * @param results the reorder buffer and the ordered output
 * @param cursors the fenced RESEQUENCER cursor
 * @param mailboxes where leaders receive their signals
 * @param deadLetters records dead letters with the original message
 * @param commands the operator commands queued for leaders
 * @param metrics the resequencer's meters
 * @param window the most deliveries dispatched past the delivered cursor
 * @param windowBytes the most payload bytes dispatched past the delivered cursor (a chunk more at most)
 * @param pollInterval the wait between two looks at PostgreSQL and Redis after one that found news
 * @param idlePollInterval the longest wait between two looks, reached while they find nothing new
 * @param headDeadline how long the head of the line may wait for its result before it is dispatched again
 * @param cursorCommitInterval the shortest time between two commits of the released cursor
 * @param clock the time the head deadline is measured with
 */
record LeaderContext(
        Dispatcher dispatcher,
        ResultBuffer results,
        Cursors cursors,
        Mailboxes<Wakeup> mailboxes,
        DeadLetterRecorder deadLetters,
        OperatorCommands commands,
        ResequencerMetrics metrics,
        int window,
        long windowBytes,
        Duration pollInterval,
        Duration idlePollInterval,
        Duration headDeadline,
        Duration cursorCommitInterval,
        Clock clock) {
}
