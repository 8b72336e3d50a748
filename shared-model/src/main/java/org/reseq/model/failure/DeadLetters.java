package org.reseq.model.failure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.reseq.model.headers.StoredHeaders;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;

/** The dead letters of every destination, in PostgreSQL. */
public final class DeadLetters {

    private final DataSource dataSource;

    public DeadLetters(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Records a dead letter of the lease's destination, in one statement that also checks the
     * lease's epoch: a stale holder records nothing. Recording the same (destination, sequence)
     * again changes nothing. The error is stored {@linkplain ErrorTexts#clean cleaned}, so that no
     * text a failure brings can make recording it fail. The headers are those the payload travels
     * with, so that a redelivery sends them too.
     *
     * @throws LeaseLostException when the lease's term ended or another holder took the lease since
     */
    public void record(Lease lease, long sequence, UUID messageId, DeadLetter.Stage stage, String error,
                       int attempts, String contentType, byte[] payload, Map<String, String> headers)
            throws SQLException {
        lease.ensureValid();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("""
                     insert into dead_letter (destination, sequence, message_id, stage, error, attempts,
                                              content_type, payload, headers)
                     select ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb
                      where exists (select 1 from destination_cursor
                                     where destination = ? and role = ? and epoch = ?)
                     on conflict do nothing""")) {
            insert.setString(1, lease.destination());
            insert.setLong(2, sequence);
            insert.setObject(3, messageId);
            insert.setString(4, stage.name());
            insert.setString(5, ErrorTexts.clean(error));
            insert.setInt(6, attempts);
            insert.setString(7, contentType);
            insert.setBytes(8, payload);
            insert.setString(9, StoredHeaders.write(headers));
            insert.setString(10, lease.destination());
            insert.setString(11, lease.role().name());
            insert.setLong(12, lease.epoch());
            if (insert.executeUpdate() == 0 && !holds(connection, lease)) {
                throw new LeaseLostException(lease, "the epoch moved on before a dead letter was recorded");
            }
        }
    }

    private static boolean holds(Connection connection, Lease lease) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "select 1 from destination_cursor where destination = ? and role = ? and epoch = ?")) {
            select.setString(1, lease.destination());
            select.setString(2, lease.role().name());
            select.setLong(3, lease.epoch());
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
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
                rows.getBytes("payload"), StoredHeaders.read(rows.getString("headers")),
                rows.getTimestamp("dead_lettered_at").toInstant(),
                redelivered == null ? null : redelivered.toInstant());
    }
}
