package org.reseq.model.destination;

/** What happens to a delivery that failed for good (after its retry budget). */
public enum FailurePolicy {
    /** Stop the destination at that sequence until an operator retries or skips it. */
    BLOCK,
    /** Record it as a dead letter and deliver the rest in order. */
    DEAD_LETTER
}
