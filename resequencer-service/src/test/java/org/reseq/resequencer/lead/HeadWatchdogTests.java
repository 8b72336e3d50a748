package org.reseq.resequencer.lead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HeadWatchdogTests {

    private final HeadWatchdog watchdog = new HeadWatchdog(Duration.ofSeconds(30));

    @Test
    void aWaitingHeadIsOverdueOnceTheDeadlinePassedAndAgainEveryDeadline() {
        assertThat(watchdog.overdue(7, true, 1_000)).isFalse();
        assertThat(watchdog.overdue(7, true, 30_999)).isFalse();
        assertThat(watchdog.overdue(7, true, 31_000)).isTrue();
        assertThat(watchdog.overdue(7, true, 31_001)).as("the deadline starts again").isFalse();
        assertThat(watchdog.overdue(7, true, 60_999)).isFalse();
        assertThat(watchdog.overdue(7, true, 61_000)).isTrue();
    }

    @Test
    void theDeadlineStartsWhenASequenceReachesTheHead() {
        assertThat(watchdog.overdue(7, true, 0)).isFalse();
        assertThat(watchdog.overdue(8, true, 29_000)).as("a new head").isFalse();
        assertThat(watchdog.overdue(8, true, 31_000)).isFalse();
        assertThat(watchdog.overdue(8, true, 59_000)).isTrue();
    }

    @Test
    void aHeadThatIsNotWaitingIsNeverOverdue() {
        assertThat(watchdog.overdue(7, true, 0)).isFalse();
        assertThat(watchdog.overdue(7, false, 40_000)).as("its result arrived").isFalse();
        assertThat(watchdog.overdue(7, true, 40_001)).as("waiting again starts a new deadline").isFalse();
        assertThat(watchdog.overdue(7, true, 70_001)).isTrue();
    }

    @Test
    void afterAResetTheHeadIsWatchedFromScratch() {
        watchdog.overdue(7, true, 0);
        watchdog.reset();
        assertThat(watchdog.overdue(7, true, 31_000)).isFalse();
        assertThat(watchdog.overdue(7, true, 61_000)).isTrue();
    }

    @Test
    void aDestinationsTransformBudgetComesOnTopOfTheSlack() {
        watchdog.budget(Duration.ofMinutes(10)); // say three attempts of a slow transform

        assertThat(watchdog.overdue(7, true, 0)).isFalse();
        assertThat(watchdog.overdue(7, true, 31_000)).as("a slow but healthy transform").isFalse();
        assertThat(watchdog.overdue(7, true, 629_999)).isFalse();
        assertThat(watchdog.overdue(7, true, 630_000)).isTrue();
        assertThat(watchdog.deadline()).isEqualTo(Duration.ofSeconds(630));
    }

    @Test
    void theDeadlineMustBePositive() {
        assertThatThrownBy(() -> new HeadWatchdog(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
