package org.reseq.model.destination;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Reads destinations for the services that act on them (resequencer, egress). */
public final class DestinationRepository {

    private final DataSource dataSource;

    public DestinationRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The names of every destination, in name order. */
    public List<String> names() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select name from destination order by name");
             ResultSet rows = select.executeQuery()) {
            List<String> names = new ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        }
    }

    public Optional<StoredDestination> find(String name) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "select id, config::text, paused from destination where name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                String json = rows.getString(2);
                return Optional.of(new StoredDestination(rows.getInt(1), name, DestinationConfigJson.read(json), json,
                        rows.getBoolean(3)));
            }
        }
    }
}
