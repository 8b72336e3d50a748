package org.reseq.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.reseq.bench.report.RunResult;
import org.reseq.bench.workload.Workload;

class InProcessRunTests {

    @Test
    void detectsAPeerThatSwapsTwoDeliveries() throws Exception {
        Workload workload = new Workload(100, 0, 0, 0, 1);

        RunResult result = new InProcessRun(workload, 2, Duration.ofSeconds(10))
                .run("broken", "swaps 2 and 3", "2 destinations", SwappingStage::new, null, "");

        assertThat(result.violations()).isPositive();
        assertThat(result.clean()).isFalse();
        assertThat(result.losses()).isZero();
        assertThat(result.messages()).isEqualTo(100);
    }

    @Test
    void stopsArrivalsAtTheCapAndSaysSo() throws Exception {
        Workload paced = new Workload(1_000, 100, 0, 0, 1);

        RunResult result = new InProcessRun(paced, 1, Duration.ofMillis(300))
                .run("capped", "paced", "100/s", recorder -> new SequentialStage(recorder), null, "");

        assertThat(result.notes()).contains("capped at 0.3 s");
        assertThat(result.messages()).isBetween(20L, 40L);
        assertThat(result.clean()).isTrue();
    }

    @Test
    void leavesOutWhatADrainCutShortNeverDelivered() throws Exception {
        Workload workload = new Workload(10, 0, 0, 0, 1);

        // Delivers sequences 1..4 and holds the rest for good: a stall, as in a capped slow peer.
        RunResult result = new InProcessRun(workload, 1, Duration.ofMillis(1), Duration.ofMillis(200))
                .run("stalled", "", "", recorder -> new HoldingStage(recorder, 4), null, "");

        assertThat(result.messages()).isEqualTo(4);
        assertThat(result.losses()).isZero();
        assertThat(result.latency().count()).isEqualTo(4);
        assertThat(result.notes()).contains("6 still undelivered");
    }

    @Test
    void reportsAPeerThatFailsAsNotClean() throws Exception {
        Workload workload = new Workload(50, 0, 0, 0, 1);
        Resequencer failing = new Resequencer() {
            @Override
            public void accept(int destination, long sequence) {
                throw new IllegalStateException("store unavailable");
            }

            @Override
            public void close() {
            }
        };

        RunResult result = new InProcessRun(workload, 1, Duration.ofSeconds(10))
                .run("failing", "", "", ParallelTransforms.around(1, (count, recorder) -> failing), null, "");

        assertThat(result.clean()).isFalse();
        assertThat(result.messages()).isZero();
        assertThat(result.losses()).isPositive();
        assertThat(result.notes()).contains("failed after").contains("java.lang.IllegalStateException: store unavailable");
    }

    /** Delivers at once, in order, except that destination 0 gets sequence 3 before 2. */
    private record SwappingStage(RunRecorder recorder) implements Stage {

        @Override
        public void arrived(int destination, long sequence, long transformMillis, long arrivedNanos) {
            recorder.ready(destination, sequence);
            if (destination == 0 && sequence == 2) {
                return;
            }
            recorder.delivered(destination, sequence);
            if (destination == 0 && sequence == 3) {
                recorder.delivered(0, 2);
            }
        }

        @Override
        public void close() {
        }
    }

    /** Delivers each message as it arrives: trivially in order. */
    private record SequentialStage(RunRecorder recorder) implements Stage {

        @Override
        public void arrived(int destination, long sequence, long transformMillis, long arrivedNanos) {
            recorder.ready(destination, sequence);
            recorder.delivered(destination, sequence);
        }

        @Override
        public void close() {
        }
    }

    /** Delivers up to {@code last} and nothing after it. */
    private record HoldingStage(RunRecorder recorder, long last) implements Stage {

        @Override
        public void arrived(int destination, long sequence, long transformMillis, long arrivedNanos) {
            recorder.ready(destination, sequence);
            if (sequence <= last) {
                recorder.delivered(destination, sequence);
            }
        }

        @Override
        public void close() {
        }
    }
}
