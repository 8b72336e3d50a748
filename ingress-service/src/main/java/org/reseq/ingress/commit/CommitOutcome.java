package org.reseq.ingress.commit;

/** What became of one pending message once its batch committed. */
public sealed interface CommitOutcome {

    /** The message is stored with its deliveries. */
    record Accepted(Receipt receipt) implements CommitOutcome {
    }

    /**
     * An earlier message carries the same idempotency key on the same channel, with the same payload
     * and content type: nothing new was stored.
     */
    record Replayed(Receipt original) implements CommitOutcome {
    }

    /**
     * Another message holds the same idempotency key on the same channel and differs from this one
     * in payload or content type: nothing was stored. Replaying the holder's answer here would tell
     * the sender that this message was taken when it was not.
     */
    record KeyReused(String channel, String idempotencyKey) implements CommitOutcome {
    }

    /** No channel of that name exists: nothing was stored. */
    record UnknownChannel(String channel) implements CommitOutcome {
    }
}
