package org.reseq.bench.send;

import java.util.List;

/** Told of each acknowledged message, on the sender's event loop: keep it short. */
@FunctionalInterface
public interface AckListener {

    /**
     * @param index the message's index in the workload (from 0)
     * @param arrivedNanos when the message counts as arrived: its due time when paced (so that a
     *     slow system cannot hide latency in the sender's queue), else its first send
     * @param ackNanos when the 202 came in
     * @param assignments the sequence each destination of the channel gave it
     */
    void acknowledged(int index, long arrivedNanos, long ackNanos, List<Assignment> assignments);
}
