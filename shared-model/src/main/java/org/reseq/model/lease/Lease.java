package org.reseq.model.lease;

import java.time.Duration;

/**
 * The right to act for one destination in one role, as it was when it was taken.
 *
 * @param destination the destination's name
 * @param destinationId the destination's id (the advisory lock's second key)
 * @param role the role held
 * @param epoch the fencing token: grows at every change of holder
 * @param position the role's cursor when the lease was taken
 * @param term until when the lease surely holds, by this JVM's monotonic clock
 */
public record Lease(String destination, int destinationId, LeaseRole role, long epoch, long position,
                    LeaseTerm term) {

    /**
     * Throws unless the lease still holds by its holder's own clock: called before every side
     * effect (a delivery, a release, a dead letter, a command taken, a cursor write).
     *
     * @throws LeaseLostException when the lease's term ended
     */
    public void ensureValid() {
        term.ensureValid(this);
    }

    /** How long the lease surely still holds; zero when it does not. */
    public Duration remaining() {
        return term.remaining();
    }

    @Override
    public String toString() {
        return role + " lease of " + destination + " (epoch " + epoch + ")";
    }
}
