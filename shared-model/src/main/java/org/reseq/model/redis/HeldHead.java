package org.reseq.model.redis;

import java.util.Optional;

/**
 * The message egress holds at the head of a destination's line (see {@link RedisKeys#held}),
 * stored as {@code <sequence> <why>}.
 *
 * @param sequence the message held
 * @param why the destination's last answer, or why it cannot be framed
 */
public record HeldHead(long sequence, String why) {

    public String encode() {
        return sequence + " " + why;
    }

    /** The held head a stored value names; empty for anything else. */
    public static Optional<HeldHead> decode(String value) {
        if (value == null) {
            return Optional.empty();
        }
        int space = value.indexOf(' ');
        try {
            return Optional.of(space < 0 ? new HeldHead(Long.parseLong(value), "")
                    : new HeldHead(Long.parseLong(value.substring(0, space)), value.substring(space + 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
