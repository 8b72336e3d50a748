package org.reseq.resequencer.fake;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.reseq.model.lease.Cursors;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseRole;

/**
 * Cursors that a test can cut off, as PostgreSQL out of reach is: while it is down every call
 * fails with an {@link SQLException} and changes nothing. Thread-safe.
 */
public final class CursorsWithOutage implements Cursors {

    private final Cursors cursors;
    private volatile boolean down;

    public CursorsWithOutage(Cursors cursors) {
        this.cursors = cursors;
    }

    /** Cuts the cursors off ({@code true}) or brings them back. */
    public void down(boolean unreachable) {
        this.down = unreachable;
    }

    @Override
    public void advance(Lease lease, long position) throws SQLException {
        reachable();
        cursors.advance(lease, position);
    }

    @Override
    public long position(String destination, LeaseRole role) throws SQLException {
        reachable();
        return cursors.position(destination, role);
    }

    private void reachable() throws SQLException {
        if (down) {
            throw new SQLTransientConnectionException("PostgreSQL cannot be reached (test outage)");
        }
    }
}
