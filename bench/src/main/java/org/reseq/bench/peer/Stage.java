package org.reseq.bench.peer;

/**
 * What a peer does with the messages of a run: it transforms them and hands them, in order, to
 * the {@link RunRecorder} it was opened with.
 */
interface Stage extends AutoCloseable {

    /**
     * A message arrived. Called from the run's single generator thread, in arrival order; must
     * not wait for the transform.
     *
     * @param destination the destination's index, from 0
     * @param sequence its sequence within the destination, from 1
     * @param transformMillis how long its transform takes
     * @param arrivedNanos when it arrived ({@link System#nanoTime()})
     */
    void arrived(int destination, long sequence, long transformMillis, long arrivedNanos);

    /** Stops every thread the stage started, without waiting for unfinished messages. */
    @Override
    void close() throws Exception;

    /** Opens a stage for one run. */
    @FunctionalInterface
    interface Factory {
        Stage open(RunRecorder recorder) throws Exception;
    }
}
