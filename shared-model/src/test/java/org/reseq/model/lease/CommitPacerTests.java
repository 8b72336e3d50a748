package org.reseq.model.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CommitPacerTests {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final CommitPacer pacer = new CommitPacer(Duration.ofMillis(100), now::get);

    @Test
    void theFirstCommitIsDueAtOnce() {
        assertThat(pacer.due()).isTrue();
        assertThat(pacer.untilDue()).isZero();
    }

    @Test
    void aCommitMakesTheNextWaitForTheInterval() {
        pacer.committed();
        now.addAndGet(Duration.ofMillis(40).toNanos());

        assertThat(pacer.due()).isFalse();
        assertThat(pacer.untilDue()).isEqualTo(Duration.ofMillis(60));

        now.addAndGet(Duration.ofMillis(60).toNanos());
        assertThat(pacer.due()).isTrue();
        assertThat(pacer.untilDue()).isZero();
    }

    @Test
    void aLeaderWaitsForNewsOnlyUntilAWaitingCommitIsDue() {
        pacer.committed();
        now.addAndGet(Duration.ofMillis(70).toNanos());

        assertThat(pacer.maxWait(true, Duration.ofMillis(250))).isEqualTo(Duration.ofMillis(30));
        assertThat(pacer.maxWait(true, Duration.ofMillis(10))).isEqualTo(Duration.ofMillis(10));
        assertThat(pacer.maxWait(false, Duration.ofMillis(250))).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void aZeroIntervalCommitsEveryTime() {
        CommitPacer everyTime = new CommitPacer(Duration.ZERO, now::get);
        everyTime.committed();

        assertThat(everyTime.due()).isTrue();
    }

    @Test
    void aNegativeIntervalIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CommitPacer(Duration.ofMillis(-1)));
    }
}
