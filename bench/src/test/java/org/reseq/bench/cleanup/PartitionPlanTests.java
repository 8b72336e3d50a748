package org.reseq.bench.cleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionPlanTests {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private final PartitionPlan plan = new PartitionPlan(MINUTE, 2);

    @Test
    void aPartitionIsAlignedOnItsWidth() {
        assertThat(plan.containing(Instant.parse("2026-03-01T12:03:59.999Z")))
                .isEqualTo(new Partition(Instant.parse("2026-03-01T12:03:00Z"), Instant.parse("2026-03-01T12:04:00Z")));
        assertThat(plan.containing(Instant.parse("2026-03-01T12:04:00Z")).lower())
                .isEqualTo(Instant.parse("2026-03-01T12:04:00Z"));
        assertThat(new PartitionPlan(Duration.ofSeconds(7), 0).containing(Instant.ofEpochSecond(20)))
                .isEqualTo(new Partition(Instant.ofEpochSecond(14), Instant.ofEpochSecond(21)));
    }

    @Test
    void theCurrentPartitionAndTwoAheadAreWanted() {
        assertThat(plan.wanted(Instant.parse("2026-03-01T12:03:30Z"))).extracting(Partition::lower).containsExactly(
                Instant.parse("2026-03-01T12:03:00Z"), Instant.parse("2026-03-01T12:04:00Z"),
                Instant.parse("2026-03-01T12:05:00Z"));
    }

    @Test
    void onlyWhatIsNotThereYetIsCreated() {
        Instant now = Instant.parse("2026-03-01T12:04:10Z");
        List<Partition> existing = List.of(partitionAt("12:02:00"), partitionAt("12:03:00"), partitionAt("12:04:00"),
                partitionAt("12:05:00"));

        assertThat(plan.missing(now, existing)).containsExactly(partitionAt("12:06:00"));
        assertThat(plan.missing(now, plan.wanted(now))).isEmpty();
    }

    @Test
    void aPartitionGoesOnceItsUpperBoundIsAtOrBeforeTheCutoff() {
        List<Partition> existing = List.of(partitionAt("12:03:00"), partitionAt("12:01:00"), partitionAt("12:02:00"));

        assertThat(PartitionPlan.dueToDrop(Instant.parse("2026-03-01T12:02:59.999Z"), existing))
                .containsExactly(partitionAt("12:01:00"));
        assertThat(PartitionPlan.dueToDrop(Instant.parse("2026-03-01T12:03:00Z"), existing))
                .containsExactly(partitionAt("12:01:00"), partitionAt("12:02:00"));
        assertThat(PartitionPlan.dueToDrop(Instant.parse("2026-03-01T12:01:30Z"), existing)).isEmpty();
    }

    @Test
    void aPartitionIsAWholeNumberOfSecondsWide() {
        assertThatThrownBy(() -> new PartitionPlan(Duration.ofMillis(1500), 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PartitionPlan(Duration.ZERO, 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPartitionsNameCarriesItsLowerBound() {
        Partition partition = partitionAt("12:03:00");

        assertThat(partition.name("delivery")).isEqualTo("delivery_p20260301_120300");
        assertThat(Partition.parse("delivery", "delivery_p20260301_120300", MINUTE)).contains(partition);
    }

    @Test
    void tablesThatAreNotOurPartitionsAreIgnored() {
        assertThat(Partition.parse("message", "delivery_p20260301_120300", MINUTE)).isEmpty();
        assertThat(Partition.parse("message", "message_default", MINUTE)).isEmpty();
        assertThat(Partition.parse("message", "message_p2026", MINUTE)).isEmpty();
    }

    private static Partition partitionAt(String time) {
        Instant lower = Instant.parse("2026-03-01T" + time + "Z");
        return new Partition(lower, lower.plus(MINUTE));
    }
}
