package org.reseq.egress.delivery.tcp;

import org.reseq.model.destination.Framing;

/**
 * The bytes of one message on a TCP destination's connection, and what a reply line means. Pure,
 * so the rules are tested on their own.
 */
final class TcpFraming {

    private static final byte NEWLINE = '\n';

    private TcpFraming() {
    }

    /**
     * One message as written: for {@link Framing#LINE} the payload (UTF-8 text) and a line feed,
     * for {@link Framing#LENGTH_PREFIXED} a 4-byte big-endian length, then the payload.
     *
     * @throws IllegalArgumentException when the payload cannot be framed so: a line break in a
     *         {@code LINE} payload would split it into two messages at the receiver
     */
    static byte[] frame(Framing framing, byte[] payload) {
        return switch (framing) {
            case LINE -> line(payload);
            case LENGTH_PREFIXED -> lengthPrefixed(payload);
        };
    }

    /** Any reply line acknowledges the message, except one starting with {@code ERR}. */
    static boolean acknowledges(String replyLine) {
        return !replyLine.startsWith("ERR");
    }

    private static byte[] line(byte[] payload) {
        for (byte b : payload) {
            if (b == NEWLINE) {
                throw new IllegalArgumentException("the payload contains a line break, which LINE framing cannot carry");
            }
        }
        byte[] frame = new byte[payload.length + 1];
        System.arraycopy(payload, 0, frame, 0, payload.length);
        frame[payload.length] = NEWLINE;
        return frame;
    }

    private static byte[] lengthPrefixed(byte[] payload) {
        int length = payload.length;
        byte[] frame = new byte[length + 4];
        frame[0] = (byte) (length >>> 24);
        frame[1] = (byte) (length >>> 16);
        frame[2] = (byte) (length >>> 8);
        frame[3] = (byte) length;
        System.arraycopy(payload, 0, frame, 4, length);
        return frame;
    }
}
