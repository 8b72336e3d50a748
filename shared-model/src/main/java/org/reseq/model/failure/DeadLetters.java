package org.reseq.model.failure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/** The dead letters of every destination, in PostgreSQL. */
public final class DeadLetters {

    private final DataSource dataSource;

    public DeadLetters(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a dead letter; recording the same (destination, sequence) again changes nothing. */
    public void record(String destination, long sequence, UUID messageId, DeadLetter.Stage stage, String error,
                       int attempts, String contentType, byte[] payload) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     insert into dead_letter (destination, sequence, message_id, stage, error, attempts,
                                              content_type, payload)
                     values (?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing""")) {
            insert.setString(1, destination);
            insert.setLong(2, sequence);
            insert.setObject(3, messageId);
            insert.setString(4, stage.name());
            insert.setString(5, error);
            insert.setInt(6, attempts);
            insert.setString(7, contentType);
            insert.setBytes(8, payload);
            insert.executeUpdate();
        }
    }

    /** A destination's dead letters in sequence order, at most {@code limit} after {@code afterSequence}. */
    public List<DeadLetter> list(String destination, long afterSequence, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("""
                     select * from dead_letter where destination = ? and sequence > ?
                      order by sequence limit ?""")) {
            select.setString(1, destination);
            select.setLong(2, afterSequence);
            select.setInt(3, limit);
            try (ResultSet rows = select.executeQuery()) {
                List<DeadLetter> letters = new ArrayList<>();
                while (rows.next()) {
                    letters.add(read(rows));
                }
                return letters;
            }
        }
    }

    public Optional<DeadLetter> find(String destination, long sequence) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "select * from dead_letter where destination = ? and sequence = ?")) {
            select.setString(1, destination);
            select.setLong(2, sequence);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    public long count(String destination) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "select count(*) from dead_letter where destination = ?")) {
            select.setString(1, destination);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** Notes that an operator's redelivery of the dead letter was accepted by the destination. */
    public void markRedelivered(String destination, long sequence) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(
                     "update dead_letter set redelivered_at = now() where destination = ? and sequence = ?")) {
            update.setString(1, destination);
            update.setLong(2, sequence);
            update.executeUpdate();
        }
    }

    private static DeadLetter read(ResultSet rows) throws SQLException {
        Timestamp redelivered = rows.getTimestamp("redelivered_at");
        return new DeadLetter(rows.getString("destination"), rows.getLong("sequence"),
                rows.getObject("message_id", UUID.class), DeadLetter.Stage.valueOf(rows.getString("stage")),
                rows.getString("error"), rows.getInt("attempts"), rows.getString("content_type"),
                rows.getBytes("payload"), rows.getTimestamp("dead_lettered_at").toInstant(),
                redelivered == null ? null : redelivered.toInstant());
    }
}
