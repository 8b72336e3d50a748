package org.reseq.egress.leader;

import java.util.Optional;
import org.reseq.model.redis.HeldHead;
import org.reseq.model.redis.Incarnation;

/**
 * Where egress tells operators which message it holds at the head of a destination's line
 * ({@link BlockedHead}): the admin API shows it in the destination's status and sends a head skip
 * to egress only when egress holds that head. A hint: losing it delays an operator, never a
 * message. Implementations are shared by every leader and must be thread-safe.
 */
public interface HeldHeads {

    /** Egress holds {@code sequence} of the incarnation, for {@code why}. */
    void hold(Incarnation destination, long sequence, String why);

    /** Egress holds nothing of the incarnation any more. */
    void clear(Incarnation destination);

    /** What egress holds of the incarnation, if anything. */
    Optional<HeldHead> held(Incarnation destination);
}
