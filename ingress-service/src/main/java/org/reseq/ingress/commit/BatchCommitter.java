package org.reseq.ingress.commit;

import java.util.List;

/**
 * Commits a batch of messages in one transaction: stores the messages, takes each destination's
 * sequence range (in the batch's order) and stores the deliveries. Returns only after the
 * commit; throws when nothing of the batch may be considered stored, a
 * {@link StoreUnreachableException} when that is because the store cannot be reached.
 */
public interface BatchCommitter {

    CommittedBatch commit(List<PendingMessage> batch) throws Exception;
}
