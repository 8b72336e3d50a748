package org.reseq.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.reseq.bench.stack.PrometheusText;

class StoreWatchTests {

    @Test
    void aReadingTakesRetentionsFiguresPerTable() {
        String text = """
                reseq_retention_table_size_bytes{application="ingress-service",table="message"} 2097152.0
                reseq_retention_table_size_bytes{application="ingress-service",table="delivery"} 1048576.0
                reseq_retention_removed_total{application="ingress-service",table="message"} 300.0
                reseq_retention_oldest_message_age_seconds{application="ingress-service"} 75.0
                http_server_requests_seconds_count{uri="/x"} 9.0
                """;
        StoreReading earlier = StoreWatch.reading(1, PrometheusText.parse(
                "reseq_retention_removed_total{table=\"message\"} 100.0"));

        StoreReading reading = StoreWatch.reading(2, PrometheusText.parse(text));

        assertThat(reading.tableMib("message")).isEqualTo(2.0);
        assertThat(reading.tableMib("delivery")).isEqualTo(1.0);
        assertThat(reading.tableMib("idempotency_key")).isZero();
        assertThat(reading.oldestMessageSeconds()).isEqualTo(75.0);
        assertThat(reading.removedSince(earlier, "message")).isEqualTo(200);
    }
}
