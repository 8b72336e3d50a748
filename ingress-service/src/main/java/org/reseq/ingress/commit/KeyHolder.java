package org.reseq.ingress.commit;

import java.util.Arrays;
import java.util.Objects;

/**
 * The message that holds an idempotency key on its channel: what its sender got back, and what
 * the sender sent, so that a later message with the same key can be told to be a repeat of it (the
 * same content type and payload) or a different message reusing the key.
 *
 * @param receipt the answer the holder got, which a repeat gets again
 * @param contentType the holder's content type, as stored
 * @param payload the holder's payload, as stored
 */
public record KeyHolder(Receipt receipt, String contentType, byte[] payload) {

    public KeyHolder {
        Objects.requireNonNull(receipt, "receipt");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(payload, "payload");
    }

    /** The holder of a key taken by {@code message} itself, once it has its receipt. */
    static KeyHolder of(PendingMessage message, Receipt receipt) {
        return new KeyHolder(receipt, message.contentType(), message.payload());
    }

    /**
     * Whether a message with this content type and payload repeats the holder. Content types are
     * compared as sent: they travel with the message, so two spellings are two different messages.
     */
    public boolean isRepeatedBy(String contentType, byte[] payload) {
        return this.contentType.equals(contentType) && Arrays.equals(this.payload, payload);
    }

    boolean isRepeatedBy(PendingMessage message) {
        return isRepeatedBy(message.contentType(), message.payload());
    }
}
