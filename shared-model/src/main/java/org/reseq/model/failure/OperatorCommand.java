package org.reseq.model.failure;

/**
 * An operator's instruction to a destination's leader, queued in Redis
 * ({@code RedisKeys.commands} for the resequencer, {@code RedisKeys.redeliveries} for egress)
 * as {@code <ACTION>:<sequence>}. The admin API records every command in {@code operator_action}
 * before queueing it.
 *
 * @param action what to do
 * @param sequence the sequence it applies to
 */
public record OperatorCommand(Action action, long sequence) {

    /** What an operator can ask for. */
    public enum Action {
        /** Resequencer: forget the failed result of the blocked head and transform it again. */
        RETRY,
        /** Resequencer: record the blocked head as a dead letter (stage SKIPPED) and go on. */
        SKIP,
        /** Egress: deliver a dead letter now, out of order, with {@code Reseq-Redelivery: true}. */
        REDELIVER
    }

    public String encode() {
        return action.name() + ":" + sequence;
    }

    /** Parses {@link #encode()}'s output; throws {@link IllegalArgumentException} on anything else. */
    public static OperatorCommand decode(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("Not an operator command: " + text);
        }
        try {
            return new OperatorCommand(Action.valueOf(text.substring(0, colon)),
                    Long.parseLong(text.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Not an operator command: " + text, e);
        }
    }
}
