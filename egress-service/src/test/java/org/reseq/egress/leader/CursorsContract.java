package org.reseq.egress.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.reseq.model.lease.Cursors;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.lease.LeaseTerm;

/**
 * What the egress leader relies on of {@link Cursors}, against the in-memory fake its unit tests
 * use and against PostgreSQL: the holder of the current epoch moves its cursor, a stale holder
 * or one whose term ended moves nothing, and the resequencer's released cursor is read as it stands.
 */
abstract class CursorsContract {

    final String destination = "cursors-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    abstract Cursors cursors();

    /** A holder of {@code epoch} took the destination's lease in {@code role} (the destination exists from now on). */
    abstract void taken(LeaseRole role, long epoch) throws Exception;

    /** The holder of the {@code role} lease moved its cursor to {@code position}. */
    abstract void moved(LeaseRole role, long position) throws Exception;

    @Test
    void theHolderOfTheCurrentEpochMovesItsCursor() throws Exception {
        taken(LeaseRole.EGRESS, 3);

        cursors().advance(lease(3), 12);

        assertThat(cursors().position(destination, LeaseRole.EGRESS)).isEqualTo(12);
    }

    @Test
    void aStaleHolderMovesNothing() throws Exception {
        taken(LeaseRole.EGRESS, 3);
        cursors().advance(lease(3), 5);

        taken(LeaseRole.EGRESS, 4);

        assertThatThrownBy(() -> cursors().advance(lease(3), 9)).isInstanceOf(LeaseLostException.class);
        assertThat(cursors().position(destination, LeaseRole.EGRESS)).isEqualTo(5);
    }

    @Test
    void aHolderWhoseTermEndedMovesNothing() throws Exception {
        taken(LeaseRole.EGRESS, 1);
        Lease lease = lease(1);

        nanos.addAndGet(Duration.ofSeconds(9).toNanos());

        assertThatThrownBy(() -> cursors().advance(lease, 9)).isInstanceOf(LeaseLostException.class);
        assertThat(cursors().position(destination, LeaseRole.EGRESS)).isZero();
    }

    @Test
    void theReleasedCursorIsReadAsTheResequencerLeftIt() throws Exception {
        taken(LeaseRole.EGRESS, 1);
        taken(LeaseRole.RESEQUENCER, 1);

        moved(LeaseRole.RESEQUENCER, 40);

        assertThat(cursors().position(destination, LeaseRole.RESEQUENCER)).isEqualTo(40);
        assertThat(cursors().position(destination, LeaseRole.EGRESS)).isZero();
        assertThat(cursors().position("never-created-" + UUID.randomUUID(), LeaseRole.EGRESS)).isZero();
    }

    private Lease lease(long epoch) {
        LeaseTerm term = new LeaseTerm(Duration.ofSeconds(8), nanos::get);
        term.renewed(term.now());
        return new Lease(destination, 1, LeaseRole.EGRESS, epoch, 0, term);
    }
}
