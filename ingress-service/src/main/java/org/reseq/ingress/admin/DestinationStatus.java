package org.reseq.ingress.admin;

import com.fasterxml.jackson.annotation.JsonInclude;

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
 */
record DestinationStatus(long lastSequence, long releasedSequence, long deliveredSequence, long backlog,
        boolean paused, HeadOfLine headOfLine, long deadLetters) {

    /** Where the delivery at released + 1 stands. */
    /** UNREADABLE: the stored result cannot be decoded; the resequencer discards it and has the work done again. */
    enum State { PROCESSING, DONE, FAILED, UNREADABLE }

    /**
     * @param sequence released + 1
     * @param state whether a worker finished it
     * @param ageMs time since its message arrived
     * @param error why it failed (FAILED), or why its result cannot be read (UNREADABLE)
     * @param attempts how many attempts it took (FAILED only)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record HeadOfLine(long sequence, State state, Long ageMs, String error, Integer attempts) {
    }
}
