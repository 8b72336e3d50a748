package org.reseq.resequencer.dispatch;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The system of record's view of a destination's deliveries, for the dispatcher. */
public interface Deliveries {

    /** The destination's progress, empty when the destination does not exist (any more). */
    Optional<Progress> progress(String destination) throws SQLException;

    /** The deliveries with sequence in {@code (after, upTo]}, in sequence order. */
    List<PendingDelivery> between(String destination, long after, long upTo) throws SQLException;
}
