package org.reseq.bench.send;

/**
 * The sequence a destination gave a message, as ingress acknowledged it.
 *
 * @param destination the destination's name
 * @param sequence its sequence number there (1, 2, 3, ...)
 */
public record Assignment(String destination, long sequence) {
}
