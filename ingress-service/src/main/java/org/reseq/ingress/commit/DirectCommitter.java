package org.reseq.ingress.commit;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One transaction per message, on the request thread: the baseline that {@link GroupCommitter}
 * is measured against. Concurrent requests commit concurrently; sequence rows are still locked
 * in name order, so they cannot deadlock.
 */
public final class DirectCommitter implements CommitPipeline {

    private static final Logger log = LoggerFactory.getLogger(DirectCommitter.class);

    private final BatchCommitter committer;
    private final IngestedListener listener;

    public DirectCommitter(BatchCommitter committer, IngestedListener listener) {
        this.committer = committer;
        this.listener = listener;
    }

    @Override
    public CompletableFuture<CommitOutcome> submit(PendingMessage message) {
        CommittedBatch committed;
        try {
            committed = committer.commit(List.of(message));
        } catch (Exception e) {
            return CompletableFuture.failedFuture(new CommitFailedException("The commit failed", e));
        }
        signal(committed);
        return CompletableFuture.completedFuture(committed.outcomes().getFirst());
    }

    @Override
    public CompletableFuture<List<CommitOutcome>> submitWhole(List<PendingMessage> messages) {
        CommittedBatch committed;
        try {
            committed = committer.commitWhole(messages);
        } catch (BatchRefusedException e) {
            return CompletableFuture.failedFuture(e);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(new CommitFailedException("The commit failed", e));
        }
        signal(committed);
        return CompletableFuture.completedFuture(committed.outcomes());
    }

    private void signal(CommittedBatch committed) {
        if (!committed.lastSequences().isEmpty()) {
            try {
                listener.ingested(committed.lastSequences());
            } catch (RuntimeException e) {
                log.warn("Could not signal ingested deliveries", e);
            }
        }
    }
}
