package org.reseq.model.destination;

import java.util.List;

/**
 * How egress hands a destination its messages: one per request ({@link Mode#SINGLE}, the default)
 * or every message that is ready, up to the limits, in one exchange ({@link Mode#BATCH}): one
 * request for an HTTP destination, frames written back to back on its connection (pipelined,
 * acknowledged in order with {@code ack: LINE}) for a TCP one. Order, retries, failure policy and
 * cursor fencing are the same either way; a batch is accepted or retried as a whole.
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
        /** Every message ready, up to the limits, per request (HTTP) or pipelined write (TCP). */
        BATCH
    }

    public boolean batches() {
        return mode == Mode.BATCH;
    }

    void validate(List<Violation> violations) {
        if (maxMessages < 1 || maxMessages > MAX_MESSAGES_LIMIT) {
            violations.add(new Violation("delivery.maxMessages", "must be between 1 and " + MAX_MESSAGES_LIMIT));
        }
        if (maxBytes < 1 || maxBytes > MAX_BYTES_LIMIT) {
            violations.add(new Violation("delivery.maxBytes", "must be between 1 and " + MAX_BYTES_LIMIT));
        }
    }
}
