package org.reseq.resequencer.dispatch;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.WorkItem;
import org.springframework.stereotype.Component;

/**
 * Reads a range of deliveries from PostgreSQL and puts them on the work stream. The leader decides
 * the range (its dispatch window); this class only moves it.
 *
 * <p>Thread-safe (stateless): every leader thread calls it for its own destination.
 */
@Component
public class Dispatcher {

    private final Deliveries deliveries;
    private final WorkQueue workQueue;
    private final Clock clock;

    public Dispatcher(Deliveries deliveries, WorkQueue workQueue, Clock clock) {
        this.deliveries = deliveries;
        this.workQueue = workQueue;
        this.clock = clock;
    }

    /** The destination's progress, empty when it does not exist (any more). */
    public Optional<Progress> progress(String destination) throws SQLException {
        return deliveries.progress(destination);
    }

    /**
     * Dispatches the deliveries with sequence in {@code (after, upTo]}, except those in {@code skip}
     * (they already have a result).
     *
     * @param configJson the destination's configuration, carried by every work item
     * @return what was read: the highest sequence (or {@code after} when none) and how many were sent
     */
    public Dispatched dispatch(Incarnation destination, long after, long upTo, Set<Long> skip, String configJson)
            throws SQLException {
        List<PendingDelivery> pending = deliveries.between(destination.destination(), after, upTo);
        long now = clock.millis();
        List<WorkItem> items = new ArrayList<>(pending.size());
        long highest = after;
        for (PendingDelivery delivery : pending) {
            highest = Math.max(highest, delivery.sequence());
            if (!skip.contains(delivery.sequence())) {
                items.add(new WorkItem(destination.destination(), destination.id(), delivery.sequence(),
                        delivery.messageId(),
                        delivery.contentType(), delivery.payload(), configJson, now));
            }
        }
        workQueue.addAll(items);
        return new Dispatched(highest, items.size());
    }

    /**
     * @param highest the highest sequence read; every sequence up to it is dispatched or has a result
     * @param sent how many work items were added
     */
    public record Dispatched(long highest, int sent) {
    }
}
