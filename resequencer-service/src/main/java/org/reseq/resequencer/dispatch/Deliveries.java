package org.reseq.resequencer.dispatch;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The system of record's view of a destination's deliveries, for the dispatcher. */
public interface Deliveries {

    /** The destination's progress, empty when the destination does not exist (any more). */
    Optional<Progress> progress(String destination) throws SQLException;

    /**
     * The deliveries with sequence in {@code (after, upTo]}, in sequence order, as many as fit
     * in {@code maxBytes} of payload: it stops after the one that reaches it, so at least one
     * comes back when there is any, however large.
     */
    List<PendingDelivery> between(String destination, long after, long upTo, long maxBytes) throws SQLException;
}
