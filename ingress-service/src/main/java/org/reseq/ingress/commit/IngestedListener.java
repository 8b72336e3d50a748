package org.reseq.ingress.commit;

import java.util.Map;

/**
 * Told after each commit which destinations received deliveries, up to which sequence. Called on
 * the committing thread: implementations must return quickly and never throw for a failure that
 * the sender should not see.
 */
@FunctionalInterface
public interface IngestedListener {

    void ingested(Map<String, Long> lastSequences);
}
