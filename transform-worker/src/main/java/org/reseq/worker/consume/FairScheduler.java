package org.reseq.worker.consume;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which of the work entries read by this instance run now and which wait, so that one
 * destination with slow transforms cannot take every slot. All destinations share one stream, so
 * the worker reads past a flooding destination's entries and holds them here; each destination
 * runs at most its {@link #share()} of the slots, and held entries start round-robin across
 * destinations, each destination's own in the order they were read. A destination over its share
 * (the share shrinks when another destination's work arrives) keeps what it runs and gets no new
 * slot until it is under it again.
 *
 * <p>It also bounds what the instance keeps in memory: {@link #readRoom} is 0 once the held and
 * running entries reach the count limit ({@code maxRunning + maxHeld}) or the byte budget. One
 * read may take the bytes past the budget; nothing more is read until they are under it again,
 * so an entry larger than the whole budget is still read and run, and nothing else is read while
 * it is in memory.
 *
 * <p>Pure and not thread-safe: {@link InFlightItems} owns it and calls it under its lock.
 */
final class FairScheduler {

    /**
     * @param maxRunning most entries running at once (the worker's slots)
     * @param shareCap most slots one destination may run at once, whatever the fair split says
     * @param maxHeld most entries read and waiting for a slot
     * @param maxBytes byte budget of the held and running entries together
     */
    record Limits(int maxRunning, int shareCap, int maxHeld, long maxBytes) {

        Limits {
            if (maxRunning < 1 || shareCap < 1 || maxHeld < 0 || maxBytes < 1) {
                throw new IllegalArgumentException("invalid limits: " + maxRunning + " running, share cap "
                        + shareCap + ", " + maxHeld + " held, " + maxBytes + " bytes");
            }
        }

        /** The share cap for a fraction of the slots: rounded down, at least one slot. */
        static int shareCap(double fraction, int maxRunning) {
            return Math.max(1, (int) Math.floor(fraction * maxRunning));
        }
    }

    /** One destination's held entries, oldest first, and how many of its entries run. */
    private static final class Lane {
        final ArrayDeque<WorkEntry> held = new ArrayDeque<>();
        int running;
    }

    private final Limits limits;
    /** Destinations with held or running entries: those that count for the fair split. */
    private final Map<String, Lane> lanes = new HashMap<>();
    /** Destinations with held entries, in the order of their next turn. */
    private final ArrayDeque<Lane> turns = new ArrayDeque<>();
    private final Set<String> heldIds = new HashSet<>();
    private int running;
    private long bytes;

    FairScheduler(Limits limits) {
        this.limits = limits;
    }

    /** How many entries may be read now, at most {@code max}: 0 while the memory bounds are reached. */
    int readRoom(int max) {
        if (bytes >= limits.maxBytes()) {
            return 0;
        }
        long free = (long) limits.maxRunning() + limits.maxHeld() - running - heldIds.size();
        return (int) Math.max(0, Math.min(max, free));
    }

    /** Holds an entry that was read; it starts when {@link #nextToStart()} returns it. */
    void hold(WorkEntry entry) {
        if (!heldIds.add(entry.id())) {
            throw new IllegalArgumentException("entry " + entry.id() + " is held already");
        }
        Lane lane = lanes.computeIfAbsent(entry.destination(), destination -> new Lane());
        if (lane.held.isEmpty()) {
            turns.addLast(lane);
        }
        lane.held.addLast(entry);
        bytes += entry.bytes();
    }

    /**
     * The held entry to start next, now counted as running: the oldest of the first destination
     * in turn that is under its share; null when every slot is taken or every destination with
     * held entries is at its share.
     */
    WorkEntry nextToStart() {
        if (running >= limits.maxRunning()) {
            return null;
        }
        int share = share();
        for (int looked = 0, waiting = turns.size(); looked < waiting; looked++) {
            Lane lane = turns.pollFirst();
            if (lane.running < share) {
                WorkEntry entry = lane.held.pollFirst();
                if (!lane.held.isEmpty()) {
                    turns.addLast(lane);
                }
                heldIds.remove(entry.id());
                lane.running++;
                running++;
                return entry;
            }
            turns.addLast(lane);
        }
        return null;
    }

    /** Records that a started entry ended, whatever its outcome; its slot and bytes are free. */
    void finished(WorkEntry entry) {
        Lane lane = lanes.get(entry.destination());
        if (lane == null || lane.running == 0) {
            throw new IllegalArgumentException("entry " + entry.id() + " is not running");
        }
        lane.running--;
        running--;
        bytes -= entry.bytes();
        if (lane.running == 0 && lane.held.isEmpty()) {
            lanes.remove(entry.destination());
        }
    }

    /** Forgets every held entry (they were never started) and returns them, oldest first per destination. */
    List<WorkEntry> releaseHeld() {
        List<WorkEntry> released = new ArrayList<>(heldIds.size());
        for (Lane lane : turns) {
            released.addAll(lane.held);
            lane.held.forEach(entry -> bytes -= entry.bytes());
            lane.held.clear();
        }
        turns.clear();
        heldIds.clear();
        lanes.values().removeIf(lane -> lane.running == 0);
        return released;
    }

    /**
     * Most slots a destination may run now: the slots split evenly (rounded up) among the
     * destinations with held or running entries, at most the share cap, at least one.
     */
    int share() {
        int split = lanes.isEmpty() ? limits.maxRunning() : Math.ceilDiv(limits.maxRunning(), lanes.size());
        return Math.max(1, Math.min(split, limits.shareCap()));
    }

    boolean isHeld(String id) {
        return heldIds.contains(id);
    }

    List<String> heldIds() {
        return List.copyOf(heldIds);
    }

    int running() {
        return running;
    }

    int held() {
        return heldIds.size();
    }

    /** Bytes of the held and running entries. */
    long bytes() {
        return bytes;
    }
}
