package org.reseq.model.lease;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The leases of one role held by this instance, as {@link LeaseKeeper} sees them: taking,
 * renewing and giving them up, the liveness of the other instances, and the take-over of those
 * that stopped renewing. {@link AdvisoryLockLeases} keeps them in PostgreSQL; a fake in memory
 * passes the same contract tests.
 *
 * <p>Implementations are thread-safe: one thread renews, another ticks.
 */
public interface Leases extends AutoCloseable {

    /** The role these leases are for. */
    LeaseRole role();

    /**
     * Takes the lease of {@code destination} if no other instance holds it, with an epoch higher
     * than any before it; the lease already held when this instance holds it.
     *
     * @return empty when another instance holds it, the destination does not exist, or this
     *         instance's term is not valid
     * @throws SQLException when the store cannot be reached
     */
    Optional<Lease> tryAcquire(String destination) throws SQLException;

    /**
     * Gives a lease up: the caller has already stopped acting for its destination. A lease of an
     * earlier session, or one taken again since, is left alone.
     */
    void release(Lease lease);

    /**
     * Whether every lease is still held: false when the session that held them broke or its term
     * ended, in which case they are all forgotten and the caller must stop acting for all of them.
     */
    boolean verify();

    /**
     * Records this instance's heartbeat and, once the store confirmed it, extends the term from
     * the moment the renewal was sent. A term that had ended gives up every lease first.
     *
     * @return whether the term holds now
     * @throws SQLException when the store cannot be reached; the term then runs out by itself
     */
    boolean renew() throws SQLException;

    /**
     * Frees the leases of other instances of this role that have not renewed for the timeout.
     *
     * @return how many instances were taken over
     * @throws SQLException when the store cannot be reached
     */
    int endStaleHolders() throws SQLException;

    /**
     * Counts the live instances of this role: those that renewed within {@code liveness}.
     *
     * @return at least 1 (this one)
     * @throws SQLException when the store cannot be reached
     */
    int liveInstances(Duration liveness) throws SQLException;

    /** Withdraws this instance's heartbeat, so that the others count it out at once; best effort. */
    void leave();

    /** The destinations this instance holds the lease of. */
    Set<String> held();

    /** The lease of {@code destination} when this instance holds it. */
    Optional<Lease> lease(String destination);

    /** The term of the current session; empty before the first session started. */
    Optional<LeaseTerm> term();

    /** Withdraws the heartbeat and gives up every lease. */
    @Override
    void close();
}
