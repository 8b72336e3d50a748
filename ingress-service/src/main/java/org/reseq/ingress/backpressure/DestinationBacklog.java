package org.reseq.ingress.backpressure;

/**
 * A destination with a {@code maxBacklog}, as seen from a channel that routes to it.
 *
 * @param destination the destination's name
 * @param backlog its last sequence minus its delivered (EGRESS) cursor
 * @param maxBacklog the most undelivered messages it allows before ingest is refused
 */
public record DestinationBacklog(String destination, long backlog, long maxBacklog) {

    /** A backlog equal to the limit is still fine: only one above it holds ingest back. */
    public boolean overLimit() {
        return backlog > maxBacklog;
    }
}
