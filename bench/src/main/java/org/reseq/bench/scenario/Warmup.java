package org.reseq.bench.scenario;

import java.time.Duration;
import org.reseq.bench.stack.RunNames;
import org.reseq.bench.stack.Topology;
import org.reseq.bench.workload.Workload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs before an invocation's measured runs and reports nothing, so that those runs measure
 * compiled code and open connections (in the services, in this JVM's sender, sink and transform
 * server, and in each peer), not the first seconds of a JVM that just started.
 *
 * <p>reseq gets two paced runs of half the time each: one without transforms across
 * {@value #DESTINATIONS} destinations, one with short transforms, so both worker paths and the
 * transform server are warm. Each selected peer gets {@value #PEER_MESSAGES_PER_SECOND} messages
 * without transforms per second of warm-up, at most {@value #PEER_MESSAGES}: enough to load and
 * compile its code, few enough for the slowest peer.
 */
public final class Warmup {

    private static final Logger log = LoggerFactory.getLogger(Warmup.class);
    private static final int DESTINATIONS = 10;
    private static final double ZERO_COST_RATE = 2_000;
    private static final double TRANSFORM_RATE = 500;
    private static final long TRANSFORM_MAX_MS = 100;
    private static final int PEER_MESSAGES_PER_SECOND = 100;
    private static final int PEER_MESSAGES = 2_000;
    private static final int SENDERS = 64;
    private static final String NAME = "warm-up";

    private Warmup() {
    }

    /** Warms reseq and the peers for about {@code length}; zero skips it. */
    public static void run(BenchContext context, Duration length) {
        if (!length.isPositive()) {
            return;
        }
        double seconds = length.toMillis() / 2_000.0;
        log.info("Warming up for {} s; nothing of it is reported", length.toSeconds());
        context.attempt(NAME, () -> {
            Workload zeroCost = new Workload(messages(ZERO_COST_RATE, seconds), ZERO_COST_RATE, 0, 0, context.seed());
            context.measure(new RunPlan(NAME, "no transforms", zeroCost,
                    Topology.channelPerDestination(RunNames.next(), DESTINATIONS), SENDERS, null));
            Workload transforms = new Workload(messages(TRANSFORM_RATE, seconds), TRANSFORM_RATE, 1, TRANSFORM_MAX_MS,
                    context.seed());
            context.measure(new RunPlan(NAME, "transforms", transforms,
                    Topology.channelPerDestination(RunNames.next(), 1), SENDERS, null));
        });
        int peerMessages = (int) Math.min(PEER_MESSAGES, Math.max(1, PEER_MESSAGES_PER_SECOND * length.toSeconds()));
        context.warmPeers(NAME, new Workload(peerMessages, 0, 0, 0, context.seed()), DESTINATIONS);
    }

    private static int messages(double rate, double seconds) {
        return (int) Math.max(1, Math.round(rate * seconds));
    }
}
