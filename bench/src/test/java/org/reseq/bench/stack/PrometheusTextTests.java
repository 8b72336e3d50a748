package org.reseq.bench.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTests {

    @Test
    void readsSamplesWithAndWithoutLabelsAndSkipsComments() {
        List<PrometheusText.Sample> samples = PrometheusText.parse("""
                # HELP reseq_retention_removed_total Rows removed after their retention
                # TYPE reseq_retention_removed_total counter
                reseq_retention_removed_total{application="ingress-service",table="message"} 1200.0
                reseq_retention_oldest_message_age_seconds 61.0

                jvm_threads_live_threads{application="ingress-service"} 42 1700000000000
                """);

        assertThat(samples).containsExactly(
                new PrometheusText.Sample("reseq_retention_removed_total",
                        Map.of("application", "ingress-service", "table", "message"), 1200.0),
                new PrometheusText.Sample("reseq_retention_oldest_message_age_seconds", Map.of(), 61.0),
                new PrometheusText.Sample("jvm_threads_live_threads", Map.of("application", "ingress-service"), 42));
    }

    @Test
    void readsScientificNotation() {
        assertThat(PrometheusText.parse("reseq_retention_table_size_bytes{table=\"delivery\"} 1.2582912E7")
                .getFirst().value()).isEqualTo(12_582_912.0);
    }
}
