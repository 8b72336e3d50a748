package org.reseq.resequencer.lead;

import java.sql.SQLException;
import java.time.Duration;
import org.reseq.model.lease.CommitPacer;
import org.reseq.model.lease.Cursors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * Writes the line's released cursor to PostgreSQL, where the next leader starts: paced while
 * results flow ({@link CommitPacer}), and once more when the lease is given up. The release
 * script has told egress already, so a cursor one commit behind costs a repeat after a failover at
 * most, never an order or a message.
 *
 * <p>Owned by the leader's thread.
 */
final class ReleasedCursor {

    private static final Logger log = LoggerFactory.getLogger(ReleasedCursor.class);

    private final LedDestination led;
    private final Cursors cursors;
    private final CommitPacer pacer;

    ReleasedCursor(LedDestination led, Cursors cursors, Duration commitInterval) {
        this.led = led;
        this.cursors = cursors;
        this.pacer = new CommitPacer(commitInterval);
    }

    /** Commits the released cursor when it moved past what PostgreSQL has and the pacer lets it. */
    void commitIfDue() throws SQLException {
        if (led.line().unpersisted() && pacer.due()) {
            commit();
        }
    }

    /** Commits the released cursor now, fenced by the lease's epoch. */
    void commit() throws SQLException {
        Line line = led.line();
        cursors.advance(led.lease(), line.released()); // LeaseLostException when fenced off
        line.persisted();
        pacer.committed();
    }

    /** How long the leader may wait for news: {@code atMost}, or less when a waiting commit falls due sooner. */
    Duration maxWait(Duration atMost) {
        return pacer.maxWait(led.line().unpersisted(), atMost);
    }

    /**
     * Commits a released cursor that is still paced as the lease is given up, so the next leader
     * starts there; when PostgreSQL or Redis cannot be reached, the next leader releases again what
     * followed the last stored cursor.
     */
    void handOver() {
        if (!led.line().unpersisted()) {
            return;
        }
        try {
            commit();
        } catch (DataAccessException | SQLException e) {
            log.info("Could not store the released cursor {} of {} when handing over ({}); the next leader releases"
                    + " what followed its last stored cursor again", led.line().released(), led.name(), e.toString());
        }
    }
}
