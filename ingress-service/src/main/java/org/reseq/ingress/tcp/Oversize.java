package org.reseq.ingress.tcp;

/** Stands in the frame stream for a frame that was larger than the limit and was skipped. */
record Oversize(long length) {
}
