package org.reseq.bench.peer;

/**
 * A peer's resequencer behind {@link ParallelTransforms}: it takes transformed messages in any
 * order and passes them on in sequence order to {@link RunRecorder#delivered}.
 */
interface Resequencer extends AutoCloseable {

    /**
     * A message's transform finished. Called from several threads at once.
     *
     * @param destination the destination's index, from 0
     * @param sequence its sequence within the destination, from 1
     */
    void accept(int destination, long sequence) throws Exception;

    @Override
    void close() throws Exception;

    /** Builds the resequencer of one run, delivering to {@code recorder}. */
    @FunctionalInterface
    interface Factory {
        Resequencer open(int destinations, RunRecorder recorder) throws Exception;
    }
}
