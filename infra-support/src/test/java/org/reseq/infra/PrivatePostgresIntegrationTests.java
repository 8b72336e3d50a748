package org.reseq.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PrivatePostgresIntegrationTests {

    @Test
    void keepsCommittedRowsAcrossACrashAndARestartOnTheSamePort() throws SQLException {
        assumeTrue(PrivatePostgres.unavailableReason().isEmpty(),
                () -> "skipped: " + PrivatePostgres.unavailableReason().orElseThrow());
        Path data;
        try (PrivatePostgres postgres = PrivatePostgres.launch()) {
            data = postgres.logFile().getParent();
            String jdbcUrl = postgres.server().createFreshDatabase("private");
            String database = jdbcUrl.substring(jdbcUrl.lastIndexOf('/') + 1);
            try (Connection connection = postgres.server().connect(database);
                 Statement statement = connection.createStatement()) {
                statement.execute("create table kept (id int primary key)");
                statement.execute("insert into kept values (1)");
            }

            postgres.stop(true);
            assertThatThrownBy(() -> postgres.server().connect(database).close()).isInstanceOf(SQLException.class);
            postgres.start();

            try (Connection connection = postgres.server().connect(database);
                 Statement statement = connection.createStatement()) {
                var rows = statement.executeQuery("select count(*) from kept");
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
            postgres.stop(false);
            postgres.start();
            assertThat(postgres.server().connect(database).isValid(2)).isTrue();
        }
        assertThat(Files.exists(data)).as("the data directory is removed").isFalse();
    }
}
