package org.reseq.model.destination;

import java.util.List;

/**
 * How egress hands a destination its messages: one per request ({@link Mode#SINGLE}, the default)
 * or every message that is ready, up to the limits, in one request ({@link Mode#BATCH}). Order,
 * retries, failure policy and cursor fencing are the same either way; a batch is accepted or
 * retried as a whole.
 *
 * @param mode SINGLE or BATCH
 * @param maxMessages most messages in one batch (default 100)
 * @param maxBytes most payload bytes in one batch (default 1 MiB); a single larger message still
 *        goes, alone
 */
public record DeliverySettings(Mode mode, Integer maxMessages, Long maxBytes) {

    public static final int MAX_MESSAGES_LIMIT = 10_000;
    public static final long MAX_BYTES_LIMIT = 64L * 1024 * 1024;

    public DeliverySettings {
        mode = mode == null ? Mode.SINGLE : mode;
        maxMessages = maxMessages == null ? 100 : maxMessages;
        maxBytes = maxBytes == null ? 1024L * 1024 : maxBytes;
    }

    public enum Mode {
        /** One message per request. */
        SINGLE,
        /** Every message ready, up to the limits, per request. */
        BATCH
    }

    public boolean batches() {
        return mode == Mode.BATCH;
    }

    void validate(DestinationConfig config, List<Violation> violations) {
        if (maxMessages < 1 || maxMessages > MAX_MESSAGES_LIMIT) {
            violations.add(new Violation("delivery.maxMessages", "must be between 1 and " + MAX_MESSAGES_LIMIT));
        }
        if (maxBytes < 1 || maxBytes > MAX_BYTES_LIMIT) {
            violations.add(new Violation("delivery.maxBytes", "must be between 1 and " + MAX_BYTES_LIMIT));
        }
        if (batches() && config.type() != DestinationType.HTTP) {
            // A TCP receiver answers frame by frame: a batch could be half accepted, with no key to drop repeats.
            violations.add(new Violation("delivery.mode", "BATCH is for HTTP destinations; TCP takes SINGLE"));
        }
    }
}
