package org.reseq.ingress.commit;

import java.util.concurrent.CompletableFuture;

/**
 * Where request threads hand over a message. The returned future completes only after the
 * message's transaction committed, or fails with {@link CommitFailedException} when it did not.
 */
public interface CommitPipeline {

    CompletableFuture<CommitOutcome> submit(PendingMessage message);
}
