package org.reseq.worker.consume;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class OutageTests {

    private final Outage outage = new Outage("Polling", LoggerFactory.getLogger(OutageTests.class),
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    @Test
    void pausesDoubleFromAFirstShortPauseUpToTheCap() {
        assertThat(Outage.pauseAfter(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(Outage.pauseAfter(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(Outage.pauseAfter(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(Outage.pauseAfter(7)).isEqualTo(Duration.ofMillis(5_000));
        assertThat(Outage.pauseAfter(1_000_000)).isEqualTo(Duration.ofMillis(5_000));
    }

    @Test
    void aRunOfFailuresIsLoggedOnceAndItsEndOnce(CapturedOutput output) {
        for (int i = 0; i < 20; i++) {
            outage.failed("Redis failed", new IllegalStateException("connection refused"));
        }
        outage.succeeded();
        outage.succeeded();

        assertThat(count(output, "Polling: Redis failed; retrying")).isEqualTo(1);
        assertThat(count(output, "Polling works again after 20 failed attempt(s)")).isEqualTo(1);
        assertThat(outage.failures()).isZero();
    }

    @Test
    void aNewKindOfFailureIsLoggedAgain(CapturedOutput output) {
        outage.failed("Redis failed", new IllegalStateException("connection refused"));
        outage.failed("Redis failed", new IllegalStateException("connection refused"));
        outage.failed("the group is gone", new IllegalStateException("NOGROUP"));

        assertThat(count(output, "Polling: Redis failed; retrying")).isEqualTo(1);
        assertThat(count(output, "Polling: the group is gone; retrying")).isEqualTo(1);
        assertThat(outage.failures()).isEqualTo(3);
    }

    @Test
    void aFailureAfterRecoveryStartsAgainWithTheShortPause() {
        outage.failed("Redis failed", new IllegalStateException("x"));
        outage.failed("Redis failed", new IllegalStateException("x"));
        outage.succeeded();

        assertThat(outage.failed("Redis failed", new IllegalStateException("x"))).isEqualTo(Duration.ofMillis(100));
    }

    private static int count(CapturedOutput output, String text) {
        return output.getOut().split(Pattern.quote(text), -1).length - 1;
    }
}
