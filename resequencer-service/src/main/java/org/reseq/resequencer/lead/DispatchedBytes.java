package org.reseq.resequencer.lead;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The payload bytes a leader dispatched past the delivered cursor, by sequence: what is on the
 * work stream, in the done buffer or on the out stream now, which the dispatch window keeps under
 * its byte budget. A delivery counts until egress delivered it.
 *
 * <p>Pure, and owned by the leader's thread.
 */
final class DispatchedBytes {

    private record Delivery(long sequence, long bytes) {
    }

    /** In sequence order: dispatch goes forward from the delivered cursor, one delivery after another. */
    private final Deque<Delivery> inFlight = new ArrayDeque<>();
    private long bytes;

    /** The delivery at {@code sequence}, with {@code payloadBytes} of payload, was read for dispatch. */
    void dispatched(long sequence, long payloadBytes) {
        inFlight.addLast(new Delivery(sequence, payloadBytes));
        bytes += payloadBytes;
    }

    /** Egress delivered everything up to {@code delivered}: those count no more. */
    void deliveredUpTo(long delivered) {
        while (!inFlight.isEmpty() && inFlight.peekFirst().sequence() <= delivered) {
            bytes -= inFlight.pollFirst().bytes();
        }
    }

    /** The bytes dispatched and not yet delivered. */
    long bytes() {
        return bytes;
    }

    /** Forgets everything: after a rewind the line starts again from the delivered cursor. */
    void clear() {
        inFlight.clear();
        bytes = 0;
    }
}
