package org.reseq.ingress.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The {@code status} object of a destination in the admin API.
 *
 * @param lastSequence the highest sequence handed out
 * @param releasedSequence the resequencer's cursor
 * @param deliveredSequence the egress cursor
 * @param backlog deliveries not yet delivered
 * @param paused whether an operator paused delivery
 * @param headOfLine the delivery the resequencer waits for, null when everything is released
 * @param deadLetters deliveries dead-lettered so far
 * @param deliveryHead the delivery egress holds at delivered + 1 (state HELD), null unless it holds one
 * @param oldestUndeliveredAgeMs time since the oldest undelivered message (delivered + 1) arrived,
 *        null when everything is delivered
 * @param transformTypesWithoutWorker the destination's transform types that no live worker
 *        publishes: its messages wait (or fail, for a plugin type a worker lacks) until one does;
 *        absent when the catalog of types cannot be read
 * @param leaders the instances leading the destination now, resequencer first, with their
 *        epochs; a role without a leader is left out
 */
public record DestinationStatus(long lastSequence, long releasedSequence, long deliveredSequence, long backlog,
        boolean paused, HeadOfLine headOfLine, long deadLetters, HeadOfLine deliveryHead, Long oldestUndeliveredAgeMs,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> transformTypesWithoutWorker,
        List<DestinationLeaders.Leader> leaders) {

    /**
     * Where a head delivery stands. UNREADABLE: the stored result cannot be decoded; the
     * resequencer discards it and has the work done again. HELD: egress holds it, the destination
     * rejecting it for good or it not fitting the destination's framing, under BLOCK.
     */
    enum State { PROCESSING, DONE, FAILED, UNREADABLE, HELD }

    /**
     * @param sequence released + 1 (delivered + 1 for the delivery head)
     * @param state whether a worker finished it, or egress holds it
     * @param ageMs time since its message arrived
     * @param error why it failed (FAILED), why its result cannot be read (UNREADABLE), or the
     *        destination's answer (HELD)
     * @param attempts how many attempts it took (FAILED only)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HeadOfLine(long sequence, State state, Long ageMs, String error, Integer attempts) {
    }
}
