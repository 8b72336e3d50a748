package org.reseq.ingress.commit;

import java.util.List;
import java.util.UUID;

/**
 * What a sender gets back for a committed message (the body of the 202), and what a repeat
 * with the same idempotency key gets again.
 *
 * @param messageId the message's id
 * @param channel the channel it was posted to
 * @param deliveries one per destination, in the channel's route order
 */
public record Receipt(UUID messageId, String channel, List<Delivery> deliveries) {

    public Receipt {
        deliveries = List.copyOf(deliveries);
    }

    /**
     * @param destination where the message goes
     * @param sequence its place in that destination's order
     */
    public record Delivery(String destination, long sequence) {
    }
}
