package org.reseq.ingress.backpressure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BackpressureGateTests {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicReference<List<DestinationBacklog>> backlogs = new AtomicReference<>(List.of());
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final BacklogSource source = channel -> {
        reads.incrementAndGet();
        if (failure.get() != null) {
            throw failure.get();
        }
        return backlogs.get();
    };

    @Test
    void aBacklogAboveTheLimitHoldsTheChannelBackButOneEqualToItDoesNot() {
        BackpressureGate gate = new BackpressureGate(source, Duration.ZERO, nanos::get);

        backlogs.set(List.of(new DestinationBacklog("billing", 5, 5)));
        assertThat(gate.overLimit("orders")).isEmpty();

        backlogs.set(List.of(new DestinationBacklog("billing", 6, 5), new DestinationBacklog("audit", 1, 5)));
        assertThat(gate.overLimit("orders")).containsExactly(new DestinationBacklog("billing", 6, 5));
    }

    @Test
    void readsEachChannelOncePerRefreshInterval() {
        BackpressureGate gate = new BackpressureGate(source, Duration.ofMillis(200), nanos::get);
        backlogs.set(List.of(new DestinationBacklog("billing", 6, 5)));

        assertThat(gate.overLimit("orders")).hasSize(1);
        backlogs.set(List.of(new DestinationBacklog("billing", 0, 5)));
        nanos.addAndGet(Duration.ofMillis(199).toNanos());
        assertThat(gate.overLimit("orders")).as("still cached").hasSize(1);
        assertThat(reads).hasValue(1);

        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(gate.overLimit("orders")).as("read again").isEmpty();
        assertThat(reads).hasValue(2);

        gate.overLimit("audit-only");
        assertThat(reads).as("another channel has its own entry").hasValue(3);
    }

    @Test
    void withoutCachingEveryCallReads() {
        BackpressureGate gate = new BackpressureGate(source, Duration.ZERO, nanos::get);

        gate.overLimit("orders");
        gate.overLimit("orders");

        assertThat(reads).hasValue(2);
    }

    @Test
    void keepsWhatItKnewWhenTheStoreCannotBeReadAndLetsAnUnknownChannelThrough() {
        BackpressureGate gate = new BackpressureGate(source, Duration.ofMillis(200), nanos::get);
        backlogs.set(List.of(new DestinationBacklog("billing", 6, 5)));
        gate.overLimit("orders");
        failure.set(new IllegalStateException("store down"));

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(gate.overLimit("orders")).hasSize(1);
        assertThat(gate.overLimit("never-read")).isEmpty();

        failure.set(null);
        backlogs.set(List.of(new DestinationBacklog("billing", 2, 5)));
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(gate.overLimit("orders")).isEmpty();
    }

    @Test
    void tellsRefusedSendersToWaitAtLeastASecond() {
        assertThat(new BackpressureGate(source, Duration.ofMillis(200)).retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(new BackpressureGate(source, Duration.ofSeconds(3)).retryAfter()).isEqualTo(Duration.ofSeconds(3));
    }
}
