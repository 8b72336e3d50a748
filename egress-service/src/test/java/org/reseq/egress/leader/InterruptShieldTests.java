package org.reseq.egress.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class InterruptShieldTests {

    @Test
    void returnsTheResultAndRethrowsTheFailureUnchanged() throws Exception {
        SQLException down = new SQLException("connection refused");

        assertThat(InterruptShield.call(() -> 42)).isEqualTo(42);
        assertThatThrownBy(() -> InterruptShield.call(() -> {
            throw down;
        })).isSameAs(down);
    }

    @Test
    void anInterruptEndsTheWaitButTheCallRunsToItsEnd() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicBoolean completed = new AtomicBoolean();
        CompletableFuture<Throwable> waiter = new CompletableFuture<>();
        Thread leader = Thread.ofVirtual().start(() -> {
            try {
                InterruptShield.call(() -> {
                    started.countDown();
                    proceed.await();
                    completed.set(true);
                    return null;
                });
                waiter.complete(null);
            } catch (Throwable e) {
                waiter.complete(e);
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        leader.interrupt();

        assertThat(waiter.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(completed).isFalse();
        proceed.countDown();
        await().atMost(Duration.ofSeconds(5)).untilTrue(completed);
    }
}
