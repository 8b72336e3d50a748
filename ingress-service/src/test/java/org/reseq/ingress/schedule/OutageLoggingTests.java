package org.reseq.ingress.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class OutageLoggingTests {

    @Test
    void anOutageIsLoggedOnceWhenItStartsAndOnceWhenItEnds(CapturedOutput output) {
        AtomicInteger runs = new AtomicInteger();
        OutageLogging task = new OutageLogging("Cleaning up", Duration.ofSeconds(10),
                LoggerFactory.getLogger(OutageLoggingTests.class), () -> {
                    if (runs.incrementAndGet() <= 5) {
                        throw new IllegalStateException("PostgreSQL away");
                    }
                });

        for (int i = 0; i < 8; i++) {
            task.run();
        }

        assertThat(runs).hasValue(8);
        assertThat(output.getOut().split("Cleaning up failed \\(java.lang.IllegalStateException: PostgreSQL away\\);"
                + " retrying every PT10S", -1)).hasSize(2);
        assertThat(output.getOut().split("Cleaning up works again", -1)).hasSize(2);
    }
}
