package org.reseq.bench.peer;

import java.time.Duration;
import java.util.Locale;
import org.reseq.bench.report.RunResult;
import org.reseq.bench.workload.Workload;

/**
 * Apache Camel's stream resequencer, one per destination, fed by the transforms through a
 * {@code direct:} endpoint.
 *
 * <p>Capacity and timeout are set so that nothing is skipped: the capacity is above the messages a
 * destination can have in flight, so a sender never waits for room, and the timeout is longer
 * than any message can trail its successor (the longest transform, plus a second for scheduling),
 * so a gap always closes before it times out. The price is that the first message of each
 * destination waits the whole timeout: the stream resequencer cannot know where a stream starts.
 */
final class CamelStreamPeer implements Peer {

    static final int CAPACITY = 2 * InProcessRun.IN_FLIGHT_PER_DESTINATION;
    private static final long SCHEDULING_MARGIN_MS = 1_000;

    private final Duration maxRunTime;

    CamelStreamPeer(Duration maxRunTime) {
        this.maxRunTime = maxRunTime;
    }

    @Override
    public String name() {
        return Peers.CAMEL_STREAM;
    }

    /** The resequencer timeout for a workload: longer than any message can trail its successor. */
    static long timeoutMillis(Workload workload) {
        return workload.transformMaxMs() + SCHEDULING_MARGIN_MS;
    }

    @Override
    public RunResult run(String scenario, String variant, Workload workload, int destinations) throws Exception {
        long timeout = timeoutMillis(workload);
        String setup = String.format(Locale.ROOT, "stream resequencer per destination: capacity %,d (above the %,d"
                + " in flight per destination, so no sender waits), timeout %,d ms (the longest transform + 1 s,"
                + " so every gap closes before it and nothing is skipped; the first message of each destination"
                + " waits it out); delivery attempt interval at Camel's default (1 s)", CAPACITY,
                InProcessRun.IN_FLIGHT_PER_DESTINATION, timeout);
        return new InProcessRun(workload, destinations, maxRunTime).run(name(), scenario, variant,
                ParallelTransforms.around(destinations,
                        (count, recorder) -> CamelStreamResequencer.start(count, CAPACITY, timeout, recorder)),
                null, setup);
    }
}
