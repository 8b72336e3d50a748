package org.reseq.ingress.commit;

import java.util.List;
import java.util.Map;

/**
 * The result of one committed transaction.
 *
 * @param outcomes one per message, in the order of the batch
 * @param lastSequences per destination that received deliveries, its last sequence after the commit
 */
public record CommittedBatch(List<CommitOutcome> outcomes, Map<String, Long> lastSequences) {

    public CommittedBatch {
        outcomes = List.copyOf(outcomes);
        lastSequences = Map.copyOf(lastSequences);
    }
}
