package org.reseq.ingress.commit;

import java.util.List;
import org.reseq.model.destination.Violation;

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

    /**
     * A header its channel keeps has a value that cannot travel (too long, not one line), or the
     * kept headers together are too long: nothing was stored.
     *
     * @param violations naming {@code headers.<Name>}, or {@code headers} for the total
     */
    record HeadersRefused(List<Violation> violations) implements CommitOutcome {

        public HeadersRefused {
            violations = List.copyOf(violations);
        }
    }
}
