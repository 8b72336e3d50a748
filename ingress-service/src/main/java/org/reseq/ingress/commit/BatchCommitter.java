package org.reseq.ingress.commit;

import java.util.List;

/**
 * Commits a batch of messages in one transaction: stores the messages, takes each destination's
 * sequence range (in the batch's order) and stores the deliveries. Returns only after the
 * commit; throws when nothing of the batch may be considered stored, a
 * {@link StoreUnreachableException} when that is because the store cannot be reached.
 */
public interface BatchCommitter {

    /** Commits what can be stored; a message that cannot says so in its outcome. */
    CommittedBatch commit(List<PendingMessage> batch) throws Exception;

    /**
     * Commits the batch whole or not at all: when a message can be neither stored nor answered
     * as a repeat, the transaction is rolled back and {@link BatchRefusedException} names it.
     */
    CommittedBatch commitWhole(List<PendingMessage> batch) throws Exception;
}
