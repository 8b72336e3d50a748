package org.reseq.bench.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.reseq.bench.stack.JdbcUrls;

class BenchDatabaseTests {

    @Test
    void keepsTheServerAndParametersOfTheUrl() {
        assertThat(JdbcUrls.withDatabase("jdbc:postgresql://127.0.0.1:5432/postgres?sslmode=disable",
                BenchDatabase.NAME)).isEqualTo("jdbc:postgresql://127.0.0.1:5432/reseq_cleanup_bench?sslmode=disable");
    }
}
