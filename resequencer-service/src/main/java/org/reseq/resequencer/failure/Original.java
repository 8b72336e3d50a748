package org.reseq.resequencer.failure;

import java.util.UUID;

/**
 * The message behind a delivery, as received.
 *
 * @param messageId its id
 * @param contentType its content type
 */
public record Original(UUID messageId, String contentType) {
}
