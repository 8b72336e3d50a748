package org.reseq.ingress.commit;

/** What became of one pending message once its batch committed. */
public sealed interface CommitOutcome {

    /** The message is stored with its deliveries. */
    record Accepted(Receipt receipt) implements CommitOutcome {
    }

    /** An earlier message carries the same idempotency key on the same channel: nothing new was stored. */
    record Replayed(Receipt original) implements CommitOutcome {
    }

    /** No channel of that name exists: nothing was stored. */
    record UnknownChannel(String channel) implements CommitOutcome {
    }
}
