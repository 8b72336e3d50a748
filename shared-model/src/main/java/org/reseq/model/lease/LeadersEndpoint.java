package org.reseq.model.lease;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/leaders} on a resequencer or egress instance: the destinations it leads now,
 * each with its fencing epoch, its cursor as stored (released or delivered), the sequence it
 * waits for next and how long its lease surely holds. Answers an operator's "who leads
 * {@code orders}, and where is it?" without reading the database by hand.
 *
 * <p>Threads: any request thread; reads the keeper's running leases and one query of cursors.
 */
@Endpoint(id = "leaders")
public class LeadersEndpoint {

    private final LeaseRole role;
    private final String instance;
    private final Supplier<Optional<LeaseKeeper>> keeper;
    private final DataSource dataSource;

    /**
     * @param keeper the instance's keeper, or empty while it is not running (starting, stopping)
     * @param dataSource where the cursors are read (the service's pooled data source)
     */
    public LeadersEndpoint(LeaseRole role, String instance, Supplier<Optional<LeaseKeeper>> keeper,
            DataSource dataSource) {
        this.role = role;
        this.instance = instance;
        this.keeper = keeper;
        this.dataSource = dataSource;
    }

    /**
     * @param role what the instance leads destinations as
     * @param instance the instance's id, as in the heartbeats and logs
     * @param leading the destinations it leads, by name
     */
    public record Leaders(LeaseRole role, String instance, List<Led> leading) {
    }

    /**
     * @param destination the destination led
     * @param epoch the lease's fencing epoch
     * @param cursor the role's cursor as stored now (null when it cannot be read)
     * @param nextSequence the sequence the leader waits for next: cursor + 1
     * @param leaseRemainingMs how long the lease surely still holds
     */
    public record Led(String destination, long epoch, Long cursor, Long nextSequence, long leaseRemainingMs) {
    }

    @ReadOperation
    public Leaders leaders() {
        List<Lease> leases = keeper.get().map(LeaseKeeper::leases).orElse(List.of());
        Map<String, Long> cursors = cursors(leases);
        List<Led> leading = leases.stream()
                .sorted(Comparator.comparing(Lease::destination))
                .map(lease -> {
                    Long cursor = cursors.get(lease.destination());
                    return new Led(lease.destination(), lease.epoch(), cursor, cursor == null ? null : cursor + 1,
                            lease.remaining().toMillis());
                })
                .toList();
        return new Leaders(role, instance, leading);
    }

    /** The stored cursors of the led destinations; empty when they cannot be read now. */
    private Map<String, Long> cursors(List<Lease> leases) {
        Map<String, Long> cursors = new HashMap<>();
        if (leases.isEmpty()) {
            return cursors;
        }
        String sql = "select destination, position from destination_cursor where role = ? and destination = any(?)";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            Array names = connection.createArrayOf("text", leases.stream().map(Lease::destination).toArray());
            statement.setString(1, role.name());
            statement.setArray(2, names);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    cursors.put(rows.getString(1), rows.getLong(2));
                }
            }
        } catch (SQLException e) {
            // The leases are what the operator asked for; cursors are shown as unknown.
            cursors.clear();
        }
        return cursors;
    }
}
