package org.reseq.bench.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reseq.bench.workload.Workload;

class SendPlanTests {

    @Test
    void batchesHoldConsecutiveMessagesOfOneChannelAndTheChannelsTakeTurns() {
        SendPlan plan = new SendPlan(List.of("a", "b"), new Workload(7, 0, 0, 0, 1), "k", 2);

        assertThat(plan.requests()).extracting(Arrays::toString)
                .containsExactly("[0, 2]", "[1, 3]", "[4, 6]", "[5]");
    }

    @Test
    void oneMessagePerRequestKeepsTheirOrder() {
        SendPlan plan = new SendPlan(List.of("a", "b"), new Workload(3, 0, 0, 0, 1), "k");

        assertThat(plan.requests()).extracting(Arrays::toString).containsExactly("[0]", "[1]", "[2]");
    }

    @Test
    void aPacedWorkloadIsNotBatched() {
        assertThatThrownBy(() -> new SendPlan(List.of("a"), new Workload(3, 10, 0, 0, 1), "k", 5))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
