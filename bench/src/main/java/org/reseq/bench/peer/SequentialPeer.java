package org.reseq.bench.peer;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.reseq.bench.report.RunResult;
import org.reseq.bench.workload.Workload;

/**
 * The baseline ordering brokers offer (a Kafka partition, an SQS FIFO group): one message in flight
 * per destination. Each destination has one thread that takes its messages in arrival order,
 * transforms one, delivers it, and only then takes the next.
 */
final class SequentialPeer implements Peer {

    private final Duration maxRunTime;

    SequentialPeer(Duration maxRunTime) {
        this.maxRunTime = maxRunTime;
    }

    @Override
    public String name() {
        return Peers.SEQUENTIAL;
    }

    @Override
    public RunResult run(String scenario, String variant, Workload workload, int destinations) throws Exception {
        return new InProcessRun(workload, destinations, maxRunTime).run(name(), scenario, variant,
                recorder -> new OneAtATime(destinations, recorder), null,
                "one thread per destination: transform, deliver, then the next");
    }

    /** One single-threaded executor per destination, so each works through its queue in order. */
    private static final class OneAtATime implements Stage {

        private final ExecutorService[] lines;
        private final RunRecorder recorder;

        OneAtATime(int destinations, RunRecorder recorder) {
            this.recorder = recorder;
            this.lines = new ExecutorService[destinations];
            for (int d = 0; d < destinations; d++) {
                lines[d] = Executors.newSingleThreadExecutor(ParallelTransforms.daemons("sequential-" + d));
            }
        }

        @Override
        public void arrived(int destination, long sequence, long transformMillis, long arrivedNanos) {
            lines[destination].execute(() -> {
                try {
                    // The transform itself: this line does nothing else meanwhile, which is the point.
                    TimeUnit.MILLISECONDS.sleep(transformMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                recorder.ready(destination, sequence);
                recorder.delivered(destination, sequence);
            });
        }

        @Override
        public void close() throws InterruptedException {
            for (ExecutorService line : lines) {
                line.shutdownNow();
            }
            for (ExecutorService line : lines) {
                line.awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }
}
