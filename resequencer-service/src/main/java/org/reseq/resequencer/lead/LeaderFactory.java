package org.reseq.resequencer.lead;

import java.time.Clock;
import org.reseq.model.leader.Mailboxes;
import org.reseq.model.lease.DestinationLeader;
import org.reseq.model.lease.Cursors;
import org.reseq.resequencer.ResequencerProperties;
import org.reseq.resequencer.dispatch.Dispatcher;
import org.reseq.resequencer.failure.DeadLetterRecorder;
import org.reseq.resequencer.failure.OperatorCommands;
import org.reseq.resequencer.release.ResultBuffer;
import org.springframework.stereotype.Component;

/** Makes a fresh {@link ResequencingLeader} for every lease the lease keeper takes. */
@Component
class LeaderFactory {

    private final LeaderContext context;

    LeaderFactory(Dispatcher dispatcher, ResultBuffer results, Cursors cursors, Mailboxes<Wakeup> mailboxes,
                  DeadLetterRecorder deadLetters, OperatorCommands commands, ResequencerMetrics metrics,
                  ResequencerProperties properties, Clock clock) {
        this.context = new LeaderContext(dispatcher, results, cursors, mailboxes, deadLetters, commands, metrics,
                properties.resequencer().window(), properties.resequencer().windowBytes().toBytes(),
                properties.resequencer().pollInterval(),
                properties.resequencer().idlePollInterval(),
                properties.resequencer().headDeadline(), properties.resequencer().cursorCommitInterval(), clock);
    }

    DestinationLeader create(String destination) {
        return new ResequencingLeader(destination, context);
    }
}
