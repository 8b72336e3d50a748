package org.reseq.model.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link LeaseKeeper} relies on from {@link Leases}, run against {@link AdvisoryLockLeases}
 * on a real PostgreSQL and against {@link InMemoryLeases}, so that keeper tests on the fake say
 * something about the real thing.
 */
abstract class LeasesContract {

    /** Renew every 100 ms, take over after 1 s of silence; a holder itself stops after 800 ms. */
    static final LeaseTimings TIMINGS = new LeaseTimings(Duration.ofMillis(100), Duration.ofSeconds(1));

    private final List<Leases> opened = new ArrayList<>();

    /** The leases of one instance, with {@link #TIMINGS}. */
    abstract Leases newLeases(LeaseRole role, String instance);

    /** A destination no test used before. */
    abstract String newDestination();

    /** Lets {@code duration} pass for every instance and for the store. */
    abstract void elapse(Duration duration);

    @AfterEach
    void closeAll() {
        opened.forEach(Leases::close);
    }

    private Leases leases(LeaseRole role, String instance) {
        Leases leases = newLeases(role, instance);
        opened.add(leases);
        return leases;
    }

    @Test
    void onlyOneOfTwoContendersTakesALease() throws SQLException {
        String destination = newDestination();
        Leases first = leases(LeaseRole.RESEQUENCER, "first");
        Leases second = leases(LeaseRole.RESEQUENCER, "second");

        assertThat(first.tryAcquire(destination)).isPresent();
        assertThat(second.tryAcquire(destination)).isEmpty();
        assertThat(first.held()).containsExactly(destination);
        assertThat(second.held()).isEmpty();
    }

    @Test
    void takingAgainWhatIsHeldGivesTheSameLease() throws SQLException {
        String destination = newDestination();
        Leases holder = leases(LeaseRole.EGRESS, "holder");

        Lease first = holder.tryAcquire(destination).orElseThrow();

        assertThat(holder.tryAcquire(destination)).containsSame(first);
        assertThat(holder.lease(destination)).containsSame(first);
    }

    @Test
    void rolesAreLeasedIndependently() throws SQLException {
        String destination = newDestination();

        assertThat(leases(LeaseRole.RESEQUENCER, "r").tryAcquire(destination)).isPresent();
        assertThat(leases(LeaseRole.EGRESS, "e").tryAcquire(destination)).isPresent();
    }

    @Test
    void theEpochGrowsAtEveryChangeOfHolder() throws SQLException {
        String destination = newDestination();
        Leases first = leases(LeaseRole.EGRESS, "first");
        Leases second = leases(LeaseRole.EGRESS, "second");
        Lease before = first.tryAcquire(destination).orElseThrow();

        first.release(before);
        Lease after = second.tryAcquire(destination).orElseThrow();
        second.release(after);
        Lease again = first.tryAcquire(destination).orElseThrow();

        assertThat(after.epoch()).isGreaterThan(before.epoch());
        assertThat(again.epoch()).isGreaterThan(after.epoch());
    }

    @Test
    void releasingALeaseTakenAgainSinceLeavesTheNewOneAlone() throws SQLException {
        String destination = newDestination();
        Leases holder = leases(LeaseRole.EGRESS, "holder");
        Leases other = leases(LeaseRole.EGRESS, "other");
        Lease old = holder.tryAcquire(destination).orElseThrow();
        holder.release(old);
        Lease current = holder.tryAcquire(destination).orElseThrow();

        holder.release(old);

        assertThat(holder.lease(destination)).containsSame(current);
        assertThat(other.tryAcquire(destination)).isEmpty();
    }

    @Test
    void noLeaseForAnUnknownDestination() throws SQLException {
        assertThat(leases(LeaseRole.EGRESS, "x").tryAcquire("never-created")).isEmpty();
    }

    @Test
    void aSilentHoldersLeaseIsTakenOverWithAHigherEpochAfterTheTimeout() throws SQLException {
        String destination = newDestination();
        Leases silent = leases(LeaseRole.EGRESS, "silent");
        Leases live = leases(LeaseRole.EGRESS, "live");
        Lease old = silent.tryAcquire(destination).orElseThrow();
        live.renew();
        assertThat(live.endStaleHolders()).as("a fresh heartbeat is left alone").isZero();

        elapse(TIMINGS.timeout().plusMillis(300));
        live.renew();

        assertThat(live.endStaleHolders()).isEqualTo(1);
        Lease taken = live.tryAcquire(destination).orElseThrow();
        assertThat(taken.epoch()).isGreaterThan(old.epoch());
        assertThatThrownBy(old::ensureValid).as("the silent holder stopped before the take-over")
                .isInstanceOf(LeaseLostException.class);
        assertThat(silent.verify()).isFalse();
        assertThat(silent.held()).isEmpty();
    }

    @Test
    void aHolderThatKeepsRenewingIsNeverTakenOver() throws SQLException {
        String destination = newDestination();
        Leases holder = leases(LeaseRole.RESEQUENCER, "steady");
        Leases other = leases(LeaseRole.RESEQUENCER, "eager");
        Lease lease = holder.tryAcquire(destination).orElseThrow();

        for (int i = 0; i < 15; i++) {
            elapse(TIMINGS.renewInterval());
            holder.renew();
            other.renew();
            assertThat(other.endStaleHolders()).isZero();
        }

        assertThat(other.tryAcquire(destination)).isEmpty();
        assertThat(holder.verify()).isTrue();
        lease.ensureValid();
    }

    @Test
    void aHolderWhoseTermEndedGivesUpEverythingAndRejoinsAsAFreshContender() throws SQLException {
        String destination = newDestination();
        Leases sleeper = leases(LeaseRole.RESEQUENCER, "sleeper");
        Lease before = sleeper.tryAcquire(destination).orElseThrow();

        elapse(TIMINGS.validity().plusMillis(100));

        assertThat(before.term().valid()).isFalse();
        assertThat(sleeper.verify()).as("its leases are reported lost").isFalse();
        assertThat(sleeper.held()).isEmpty();
        Lease after = sleeper.tryAcquire(destination).orElseThrow();
        assertThat(after.epoch()).isGreaterThan(before.epoch());
        after.ensureValid();
        assertThatThrownBy(before::ensureValid).isInstanceOf(LeaseLostException.class);
    }

    @Test
    void liveInstancesCountsThoseThatRenewedAndNotThoseThatLeft() throws SQLException {
        Leases first = leases(LeaseRole.RESEQUENCER, "counted-first");
        Leases second = leases(LeaseRole.RESEQUENCER, "counted-second");
        first.renew();
        second.renew();

        assertThat(first.liveInstances(Duration.ofSeconds(30))).isGreaterThanOrEqualTo(2);
        int together = first.liveInstances(Duration.ofSeconds(30));

        second.leave();

        assertThat(first.liveInstances(Duration.ofSeconds(30))).isEqualTo(together - 1);
    }
}
