package org.reseq.model.leader;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.reseq.model.lease.Lease;

/**
 * The PostgreSQL part of a {@link LeaderSweep} fingerprint: one query for all the leases'
 * destinations. The query takes the destination names as its one parameter (a {@code text[]}) and
 * answers one row per destination found: the name first, then the columns whose values make the
 * fingerprint.
 *
 * <p>Thread-safe.
 */
public final class JdbcFingerprints implements LeaderSweep.Fingerprints {

    private final DataSource dataSource;
    private final String query;

    public JdbcFingerprints(DataSource dataSource, String query) {
        this.dataSource = dataSource;
        this.query = query;
    }

    @Override
    public Map<String, String> read(List<Lease> leases) throws SQLException {
        Map<String, String> fingerprints = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(query)) {
            Array names = connection.createArrayOf("text", leases.stream().map(Lease::destination).toArray());
            select.setArray(1, names);
            try (ResultSet rows = select.executeQuery()) {
                int columns = rows.getMetaData().getColumnCount();
                while (rows.next()) {
                    StringBuilder fingerprint = new StringBuilder();
                    for (int column = 2; column <= columns; column++) {
                        fingerprint.append(rows.getString(column)).append(':');
                    }
                    fingerprints.put(rows.getString(1), fingerprint.toString());
                }
            }
        }
        return fingerprints;
    }
}
