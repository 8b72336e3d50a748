package org.reseq.bench.sink;

/**
 * The text the benchmark sends as each message's payload, {@code i=<index> t=<millis>}: which
 * message of the workload it is and how long its transform must take. The transform endpoint
 * reads the time from the payload itself, so the stack needs no side channel and the payload it
 * delivers shows which message it was.
 */
public final class TransformPayload {

    private static final String TIME = " t=";

    private TransformPayload() {
    }

    /** @return the payload of message {@code index} whose transform takes {@code millis} */
    public static String of(int index, long millis) {
        return "i=" + index + TIME + millis;
    }

    /**
     * @return the payload of message {@code index} whose transform takes {@code millis}, padded
     *     with spaces and dots to {@code length} characters when it is shorter
     */
    public static String of(int index, long millis, int length) {
        String payload = of(index, millis);
        return payload.length() >= length ? payload : payload + " " + ".".repeat(length - payload.length() - 1);
    }

    /**
     * @return the transform time the payload asks for, in milliseconds
     * @throws IllegalArgumentException when the payload has no {@code t=<millis>}
     */
    public static long millis(String payload) {
        int at = payload.indexOf(TIME);
        if (at < 0) {
            throw new IllegalArgumentException("no transform time in payload: " + payload);
        }
        int from = at + TIME.length();
        int to = from;
        while (to < payload.length() && Character.isDigit(payload.charAt(to))) {
            to++;
        }
        if (to == from || to - from > 9) {
            throw new IllegalArgumentException("bad transform time in payload: " + payload);
        }
        return Long.parseLong(payload, from, to, 10);
    }
}
