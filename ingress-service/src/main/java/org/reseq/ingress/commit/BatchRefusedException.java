package org.reseq.ingress.commit;

/**
 * A batch that had to be stored whole was not stored at all, because one of its messages could
 * be neither stored nor answered as a repeat: its idempotency key names a different message, its
 * channel does not exist, or a header its channel keeps cannot travel. The transaction was rolled back.
 */
public final class BatchRefusedException extends Exception {

    private final int index;
    private final transient CommitOutcome outcome;

    public BatchRefusedException(int index, CommitOutcome outcome) {
        super("Message " + index + " of the batch was refused: " + outcome);
        this.index = index;
        this.outcome = outcome;
    }

    /** The position in the batch of the first message refused. */
    public int index() {
        return index;
    }

    /**
     * Why it was refused: {@link CommitOutcome.KeyReused}, {@link CommitOutcome.UnknownChannel} or
     * {@link CommitOutcome.HeadersRefused}.
     */
    public CommitOutcome outcome() {
        return outcome;
    }
}
