package org.reseq.ingress.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.reseq.infra.MutableClock;

class MessageIdsTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T10:15:30.123Z"));
    private final MessageIds ids = new MessageIds(clock);

    @Test
    void idsAreVersion7WithTheClocksMilliseconds() {
        UUID id = ids.next();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(MessageIds.millisOf(id)).isEqualTo(clock.millis());
    }

    @Test
    void idsStrictlyIncreaseWithinOneMillisecond() {
        List<UUID> generated = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            generated.add(ids.next());
        }

        assertThat(generated).isSortedAccordingTo(UUID::compareTo);
        assertThat(new HashSet<>(generated)).hasSize(generated.size());
        assertThat(generated).allSatisfy(id -> assertThat(id.version()).isEqualTo(7));
    }

    @Test
    void idsFollowTheClockAndStayOrderedWhenItStepsBack() {
        UUID first = ids.next();
        clock.advance(Duration.ofMillis(5));
        UUID later = ids.next();
        clock.advance(Duration.ofMillis(-100));
        UUID afterStepBack = ids.next();

        assertThat(MessageIds.millisOf(later)).isEqualTo(MessageIds.millisOf(first) + 5);
        assertThat(later).isGreaterThan(first);
        assertThat(afterStepBack).isGreaterThan(later);
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
