package org.reseq.model.lease;

/**
 * The right to act for one destination in one role, as it was when it was taken.
 *
 * @param destination the destination's name
 * @param destinationId the destination's id (the advisory lock's second key)
 * @param role the role held
 * @param epoch the fencing token: grows at every change of holder
 * @param position the role's cursor when the lease was taken
 */
public record Lease(String destination, int destinationId, LeaseRole role, long epoch, long position) {
}
