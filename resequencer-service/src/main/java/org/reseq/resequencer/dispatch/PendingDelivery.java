package org.reseq.resequencer.dispatch;

import java.util.UUID;

/**
 * A delivery with the message it carries, as read for dispatch.
 *
 * @param sequence its sequence within the destination
 * @param messageId the message's id
 * @param contentType the message's content type
 * @param payload the message's payload
 */
public record PendingDelivery(long sequence, UUID messageId, String contentType, byte[] payload) {
}
