package org.reseq.model.lease;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What PostgreSQL keeps for leases, in memory, for {@link InMemoryLeases}: destinations, one lock
 * and epoch per destination and role, heartbeats, and which sessions still exist. One mutable
 * clock stands for both PostgreSQL's clock and every instance's monotonic clock, so that tests
 * move time on in an instant.
 *
 * <p>Thread-safe: every method is synchronized.
 */
final class InMemoryLockTable {

    private final Map<String, Integer> destinations = new HashMap<>();
    private final Map<Key, Slot> slots = new HashMap<>();
    private final Map<Key, Long> heartbeats = new HashMap<>();
    private final Set<Session> ended = new HashSet<>();
    private long nanos = 1_000_000_000L;
    private boolean reachable = true;

    /** A session of one instance; ended when closed or terminated as stale. */
    record Session(LeaseRole role, String instance, long id) {
    }

    private record Key(LeaseRole role, String name) {
    }

    private static final class Slot {
        long epoch;
        long position;
        Session holder;
    }

    synchronized long nanoTime() {
        return nanos;
    }

    /** Moves every clock on. */
    synchronized void elapse(Duration duration) {
        nanos += duration.toNanos();
    }

    synchronized void create(String destination) {
        destinations.putIfAbsent(destination, destinations.size() + 1);
    }

    synchronized void delete(String destination) {
        destinations.remove(destination);
    }

    /** While unreachable, every call fails as a lost connection would. */
    synchronized void reachable(boolean reachable) {
        this.reachable = reachable;
    }

    synchronized void ensureReachable() throws SQLException {
        if (!reachable) {
            throw new SQLTransientConnectionException("the store cannot be reached", "08001");
        }
    }

    synchronized boolean alive(Session session) {
        return !ended.contains(session);
    }

    synchronized Lease take(Session session, String destination, LeaseTerm term) throws SQLException {
        ensureReachable();
        Integer id = destinations.get(destination);
        if (id == null || !alive(session)) {
            return null;
        }
        Slot slot = slots.computeIfAbsent(new Key(session.role(), destination), key -> new Slot());
        if (slot.holder != null && !slot.holder.equals(session)) {
            return null;
        }
        slot.holder = session;
        slot.epoch++;
        return new Lease(destination, id, session.role(), slot.epoch, slot.position, term);
    }

    synchronized void unlock(Session session, String destination) {
        Slot slot = slots.get(new Key(session.role(), destination));
        if (slot != null && session.equals(slot.holder)) {
            slot.holder = null;
        }
    }

    synchronized void beat(Session session) throws SQLException {
        ensureReachable();
        if (!alive(session)) {
            throw new SQLTransientConnectionException("the session was terminated", "57P01");
        }
        heartbeats.put(new Key(session.role(), session.instance()), nanos);
    }

    synchronized void withdraw(Session session) {
        heartbeats.remove(new Key(session.role(), session.instance()));
    }

    /** Ends the session; its locks are freed, as PostgreSQL does when a session ends. */
    synchronized void end(Session session) {
        ended.add(session);
        slots.values().stream().filter(slot -> session.equals(slot.holder)).forEach(slot -> slot.holder = null);
    }

    /** Ends the sessions of other instances of the role that hold locks and have not beaten for {@code timeout}. */
    synchronized int endStale(Session asking, Duration timeout) throws SQLException {
        ensureReachable();
        Set<Session> stale = new HashSet<>();
        for (Map.Entry<Key, Slot> entry : slots.entrySet()) {
            Session holder = entry.getValue().holder;
            if (holder == null || holder.equals(asking) || holder.role() != asking.role()) {
                continue;
            }
            Long beat = heartbeats.get(new Key(holder.role(), holder.instance()));
            if (beat == null || nanos - beat > timeout.toNanos()) {
                stale.add(holder);
            }
        }
        stale.forEach(this::end);
        return stale.size();
    }

    synchronized int live(LeaseRole role, Duration liveness) throws SQLException {
        ensureReachable();
        long count = heartbeats.entrySet().stream()
                .filter(entry -> entry.getKey().role() == role && nanos - entry.getValue() <= liveness.toNanos())
                .count();
        return (int) Math.max(1, count);
    }

    synchronized long epoch(LeaseRole role, String destination) {
        Slot slot = slots.get(new Key(role, destination));
        return slot == null ? 0 : slot.epoch;
    }
}
