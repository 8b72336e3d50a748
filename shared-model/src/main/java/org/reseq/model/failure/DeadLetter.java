package org.reseq.model.failure;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A delivery that will not be delivered in order: its transform or its delivery failed for good
 * under the DEAD_LETTER policy, or an operator skipped it.
 *
 * @param destination the destination
 * @param sequence its sequence there
 * @param messageId the message it came from
 * @param stage where it failed
 * @param error why
 * @param attempts how many attempts were made
 * @param contentType the kept payload's content type
 * @param payload the kept payload: transformed when delivery failed, as received otherwise
 * @param headers the travelling headers that go with that payload, sent again on a redelivery
 * @param deadLetteredAt when it was recorded
 * @param redeliveredAt when an operator last redelivered it, or null
 */
public record DeadLetter(String destination, long sequence, UUID messageId, Stage stage, String error, int attempts,
                         String contentType, byte[] payload, Map<String, String> headers, Instant deadLetteredAt,
                         Instant redeliveredAt) {

    public DeadLetter {
        headers = headers == null || headers.isEmpty() ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /** A dead letter without headers. */
    public DeadLetter(String destination, long sequence, UUID messageId, Stage stage, String error, int attempts,
                      String contentType, byte[] payload, Instant deadLetteredAt, Instant redeliveredAt) {
        this(destination, sequence, messageId, stage, error, attempts, contentType, payload, Map.of(),
                deadLetteredAt, redeliveredAt);
    }

    /** Where a dead letter came from. */
    public enum Stage {
        /** The transform chain failed for good. */
        TRANSFORM,
        /** The destination rejected it for good. */
        DELIVERY,
        /** An operator skipped a blocked head. */
        SKIPPED
    }
}
