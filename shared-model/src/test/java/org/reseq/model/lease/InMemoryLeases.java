package org.reseq.model.lease;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link Leases} of one instance over an {@link InMemoryLockTable}, keeping the rules of {@link
 * AdvisoryLockLeases}: a session per lock connection with a term of its own, a term that ended
 * gives up every lease, a terminated session loses them all. {@link LeasesContract} holds both to
 * the same behaviour.
 *
 * <p>Thread-safe: every method is synchronized.
 */
final class InMemoryLeases implements Leases {

    private static final AtomicLong SESSIONS = new AtomicLong();

    private final InMemoryLockTable table;
    private final LeaseRole role;
    private final String instance;
    private final LeaseTimings timings;
    private final Map<String, Lease> held = new HashMap<>();
    private InMemoryLockTable.Session session;
    private LeaseTerm term;

    InMemoryLeases(InMemoryLockTable table, LeaseRole role, String instance, LeaseTimings timings) {
        this.table = table;
        this.role = role;
        this.instance = instance;
        this.timings = timings;
    }

    @Override
    public LeaseRole role() {
        return role;
    }

    @Override
    public synchronized Optional<Lease> tryAcquire(String destination) throws SQLException {
        Lease existing = held.get(destination);
        if (existing != null) {
            return Optional.of(existing);
        }
        if (term == null || !term.valid()) {
            renew();
            if (!term.valid()) {
                return Optional.empty();
            }
        }
        Lease lease = table.take(session(), destination, term);
        if (lease != null) {
            held.put(destination, lease);
        }
        return Optional.ofNullable(lease);
    }

    @Override
    public synchronized void release(Lease lease) {
        if (held.get(lease.destination()) == lease && session != null) {
            held.remove(lease.destination());
            table.unlock(session, lease.destination());
        }
    }

    @Override
    public synchronized boolean verify() {
        if (session == null) {
            return held.isEmpty();
        }
        if (!held.isEmpty() && term.ended()) {
            closeSession();
            return false;
        }
        if (table.alive(session)) {
            return true;
        }
        closeSession();
        return false;
    }

    @Override
    public synchronized boolean renew() throws SQLException {
        if (!held.isEmpty() && term != null && term.ended()) {
            closeSession();
        }
        InMemoryLockTable.Session current = session();
        long sentAt = term.now();
        try {
            table.beat(current);
        } catch (SQLException e) {
            if (!table.alive(current)) {
                closeSession();
            }
            throw e;
        }
        term.renewed(sentAt);
        return term.valid();
    }

    @Override
    public synchronized int endStaleHolders() throws SQLException {
        return table.endStale(session(), timings.timeout());
    }

    @Override
    public synchronized int liveInstances(Duration liveness) throws SQLException {
        session();
        return table.live(role, liveness);
    }

    @Override
    public synchronized void leave() {
        if (session != null) {
            table.withdraw(session);
        }
    }

    @Override
    public synchronized Set<String> held() {
        return Set.copyOf(held.keySet());
    }

    @Override
    public synchronized Optional<Lease> lease(String destination) {
        return Optional.ofNullable(held.get(destination));
    }

    @Override
    public synchronized Optional<LeaseTerm> term() {
        return Optional.ofNullable(term);
    }

    @Override
    public synchronized void close() {
        leave();
        closeSession();
    }

    /** The current session, a new one (with a new, not yet renewed term) when there is none. */
    private InMemoryLockTable.Session session() throws SQLException {
        table.ensureReachable();
        if (session == null || !table.alive(session)) {
            closeSession();
            session = new InMemoryLockTable.Session(role, instance, SESSIONS.incrementAndGet());
            term = new LeaseTerm(timings.validity(), table::nanoTime);
        }
        return session;
    }

    private void closeSession() {
        held.clear();
        if (term != null) {
            term.revoke();
        }
        if (session != null) {
            table.end(session);
            session = null;
        }
    }
}
