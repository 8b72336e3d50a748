package org.reseq.worker.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class RetryAfterTests {

    private static final Instant NOW = Instant.parse("2026-11-02T10:15:30Z");

    @Property
    void secondsAreReadAsTheyAre(@ForAll @LongRange(min = 0, max = 999_999_999) long seconds) {
        assertThat(RetryAfter.parse(" " + seconds + " ", NOW)).contains(Duration.ofSeconds(seconds));
    }

    @Test
    void aDateIsCountedFromNowAndAPastDateMeansNow() {
        assertThat(RetryAfter.parse("Mon, 02 Nov 2026 10:17:30 GMT", NOW)).contains(Duration.ofMinutes(2));
        assertThat(RetryAfter.parse("Mon, 02 Nov 2026 10:00:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void anythingElseIsIgnored() {
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
        assertThat(RetryAfter.parse("", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("1.5", NOW)).isEmpty();
        assertThat(RetryAfter.parse("99999999999999999999", NOW)).isEmpty();
        assertThat(RetryAfter.parse("tomorrow", NOW)).isEmpty();
    }
}
