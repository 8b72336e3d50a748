package org.reseq.egress.leader;

import org.reseq.model.redis.Incarnation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message egress holds at the head of its line because the destination's failure policy is
 * BLOCK and the message can never go out as it is: the destination rejected it for good, or it
 * cannot be framed as the destination is configured. Only an operator moves it on, by skipping it
 * ({@code POST .../head/skip}); the skip is carried out at the next delivery of that very message,
 * and a skip of any other sequence is ignored.
 *
 * <p>What is held is shown to operators ({@link HeldHeads}), best effort.
 *
 * <p>Not thread-safe: owned by the leader's thread, for one lease. A new leader learns of a held
 * head at its first attempt; a skip that arrives before is ignored and has to be asked again.
 */
final class BlockedHead {

    private static final Logger log = LoggerFactory.getLogger(BlockedHead.class);
    private static final long NONE = -1;

    private final Incarnation incarnation;
    private final HeldHeads shown;
    private long blocked = NONE;
    private long skipAsked = NONE;

    BlockedHead(Incarnation incarnation, HeldHeads shown) {
        this.incarnation = incarnation;
        this.shown = shown;
    }

    /** The message at {@code sequence} stopped for good, for {@code why}, and stays next in line. */
    void heldAt(long sequence, String why) {
        if (blocked != sequence) {
            show(() -> shown.hold(incarnation, sequence, why));
        }
        blocked = sequence;
    }

    /** The message at {@code sequence} went out (or was passed over): whatever was held is no more. */
    void passed(long sequence) {
        if (blocked != NONE && sequence >= blocked) {
            blocked = NONE;
            skipAsked = NONE;
            show(() -> shown.clear(incarnation));
        }
    }

    /**
     * An operator asked to skip {@code sequence}.
     *
     * @return false when egress does not hold that sequence: the command does not apply
     */
    boolean askSkip(long sequence) {
        if (blocked != sequence) {
            return false;
        }
        skipAsked = sequence;
        return true;
    }

    /** Whether the message about to be delivered is to be skipped instead; true once per skip. */
    boolean takeSkip(long sequence) {
        if (skipAsked != sequence) {
            return false;
        }
        skipAsked = NONE;
        blocked = NONE;
        show(() -> shown.clear(incarnation));
        return true;
    }

    /** Operators' view is a hint: a store that fails must not stop delivery. */
    private static void show(Runnable update) {
        try {
            update.run();
        } catch (RuntimeException e) {
            log.debug("Could not show the held head: {}", e.toString());
        }
    }
}
