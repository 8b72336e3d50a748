package org.reseq.ingress.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class JdbcFailuresTests {

    @Test
    void noConnectionToBeHadIsUnreachable() {
        assertThat(JdbcFailures.unreachable(new SQLTransientConnectionException("request timed out after 2000ms")))
                .isTrue();
        assertThat(JdbcFailures.unreachable(new SQLException("Connection refused", "08001"))).isTrue();
        assertThat(JdbcFailures.unreachable(new SQLException("I/O error", "08006"))).isTrue();
    }

    @Test
    void aServerCuttingTheConnectionIsUnreachableWhereverItIsInTheCauses() {
        SQLException terminated = new SQLException("terminating connection due to administrator command", "57P01");

        assertThat(JdbcFailures.unreachable(new IllegalStateException("commit", terminated))).isTrue();
        assertThat(JdbcFailures.unreachable(new SQLException("starting up", "57P03"))).isTrue();
    }

    @Test
    void aFailureOfTheWorkItselfIsNot() {
        assertThat(JdbcFailures.unreachable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(JdbcFailures.unreachable(new SQLException("canceling statement due to statement timeout",
                "57014"))).isFalse();
        assertThat(JdbcFailures.unreachable(new SQLException("no state"))).isFalse();
        assertThat(JdbcFailures.unreachable(new IllegalStateException("bug"))).isFalse();
    }
}
