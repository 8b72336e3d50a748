package org.reseq.model.lease;

import java.sql.SQLException;

/**
 * The per-destination cursors of both roles (RESEQUENCER: released, EGRESS: delivered), written
 * only by the lease's holder: every write names the holder's epoch and checks its term first.
 */
public interface Cursors {

    /**
     * Moves the lease's cursor to {@code position}.
     *
     * @throws DestinationDeletedException when the destination was deleted since
     * @throws LeaseLostException when the lease's term ended or another holder took the lease since
     * @throws SQLException when the store cannot be reached
     */
    void advance(Lease lease, long position) throws SQLException;

    /** The current cursor of {@code destination} in {@code role}, 0 when nothing moved it yet. */
    long position(String destination, LeaseRole role) throws SQLException;
}
