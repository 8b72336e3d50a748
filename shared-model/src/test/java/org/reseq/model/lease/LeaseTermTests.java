package org.reseq.model.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeaseTermTests {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final LeaseTerm term = new LeaseTerm(Duration.ofSeconds(8), nanos::get);
    private final Lease lease = new Lease("orders", 1, LeaseRole.EGRESS, 3, 0, term);

    @Test
    void holdsOnlyOnceRenewed() {
        assertThat(term.valid()).isFalse();
        assertThat(term.ended()).as("never held, so not ended either").isFalse();

        term.renewed(term.now());

        assertThat(term.valid()).isTrue();
        assertThat(term.remaining()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void endsItsValidityAfterTheRenewalWasSentNotAfterItSucceeded() {
        long sentAt = term.now();
        nanos.addAndGet(Duration.ofSeconds(3).toNanos()); // a slow answer
        term.renewed(sentAt);

        nanos.addAndGet(Duration.ofMillis(4_999).toNanos());
        assertThat(term.valid()).isTrue();
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(term.valid()).isFalse();
        assertThat(term.ended()).isTrue();
        assertThatThrownBy(lease::ensureValid).isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("deadline passed");
    }

    @Test
    void aLateAnswerToAnOlderRenewalNeverShortensTheTerm() {
        long older = term.now();
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        term.renewed(term.now());

        term.renewed(older);

        assertThat(term.remaining()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void aRevokedTermNeverHoldsAgain() {
        term.renewed(term.now());

        term.revoke();
        term.renewed(term.now());

        assertThat(term.valid()).isFalse();
        assertThatThrownBy(lease::ensureValid).isInstanceOf(LeaseLostException.class)
                .hasMessageContaining("session ended");
    }

    @Test
    void aWokenHolderFindsItsDeadlinePassedHoweverLongItSlept() {
        term.renewed(term.now());

        nanos.addAndGet(Duration.ofSeconds(40).toNanos()); // SIGSTOP for 40 s

        assertThat(term.valid()).isFalse();
        assertThat(term.remaining()).isZero();
    }

    @Test
    void timingsRefuseATimeoutBelowThreeRenewals() {
        assertThatThrownBy(() -> new LeaseTimings(Duration.ofSeconds(1), Duration.ofMillis(2_999)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reseq.leases.timeout").hasMessageContaining("three times");
        assertThat(new LeaseTimings(Duration.ofSeconds(1), Duration.ofSeconds(3)).validity())
                .as("the margin leaves two renewals").isEqualTo(Duration.ofSeconds(2).plusMillis(400));
    }

    @Test
    void theDefaultsActForEightSecondsAndAreTakenOverAfterTen() {
        LeaseTimings defaults = LeaseTimings.defaults();

        assertThat(defaults.margin()).isEqualTo(Duration.ofSeconds(2));
        assertThat(defaults.validity()).isEqualTo(Duration.ofSeconds(8));
        assertThat(new LeaseTimings(Duration.ofMillis(10), Duration.ofMillis(30)).margin())
                .as("never below the smallest margin, never above what renewals leave").isEqualTo(Duration.ofMillis(10));
    }
}
