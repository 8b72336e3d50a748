package org.reseq.ingress.admin;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.failure.DeadLetters;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.support.SQLExceptionSubclassTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.stereotype.Component;

/**
 * The shared {@link DeadLetters} store, with its {@link SQLException}s turned into Spring's
 * {@link DataAccessException}s so that an unreachable database answers 503 like everywhere else.
 */
@Component
class DeadLetterStore {

    @FunctionalInterface
    private interface Query<T> {
        T run() throws SQLException;
    }

    private final DeadLetters deadLetters;
    private final SQLExceptionTranslator translator = new SQLExceptionSubclassTranslator();

    DeadLetterStore(DataSource dataSource) {
        this.deadLetters = new DeadLetters(dataSource);
    }

    List<DeadLetter> list(String destination, long afterSequence, int limit) {
        return query("list dead letters", () -> deadLetters.list(destination, afterSequence, limit));
    }

    Optional<DeadLetter> find(String destination, long sequence) {
        return query("find a dead letter", () -> deadLetters.find(destination, sequence));
    }

    long count(String destination) {
        return query("count dead letters", () -> deadLetters.count(destination));
    }

    private <T> T query(String task, Query<T> query) {
        try {
            return query.run();
        } catch (SQLException e) {
            DataAccessException translated = translator.translate(task, null, e);
            throw translated != null ? translated : new UncategorizedSQLException(task, null, e);
        }
    }
}
