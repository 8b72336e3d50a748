package org.reseq.worker.transform;

/**
 * What a {@link Transform} returns.
 *
 * @param payload the new payload bytes
 * @param contentType the new payload's content type
 */
public record TransformOutput(byte[] payload, String contentType) {
}
