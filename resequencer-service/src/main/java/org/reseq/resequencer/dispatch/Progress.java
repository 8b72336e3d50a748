package org.reseq.resequencer.dispatch;

/**
 * How far a destination has come, as PostgreSQL knows it.
 *
 * @param lastSequence the highest sequence ingress committed
 * @param delivered the EGRESS cursor: the highest sequence the destination accepted
 * @param configJson the destination's stored configuration
 */
public record Progress(long lastSequence, long delivered, String configJson) {
}
