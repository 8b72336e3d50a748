package org.reseq.ingress.commit;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where request threads hand over a message. The returned future completes only after the
 * message's transaction committed, or fails with {@link CommitFailedException} when it did not.
 */
public interface CommitPipeline {

    CompletableFuture<CommitOutcome> submit(PendingMessage message);

    /**
     * Hands over the messages of one request that are stored whole or not at all, in one
     * transaction of their own, in list order. The future completes with one outcome per message
     * after the commit, or fails with {@link BatchRefusedException} (nothing stored: a message was
     * neither new nor a repeat) or {@link CommitFailedException}.
     */
    CompletableFuture<List<CommitOutcome>> submitWhole(List<PendingMessage> messages);
}
