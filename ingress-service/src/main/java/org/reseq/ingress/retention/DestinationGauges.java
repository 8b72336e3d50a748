package org.reseq.ingress.retention;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Where each destination stands, as stored, in gauges tagged by destination: the last sequence
 * ingress assigned, the released (RESEQUENCER) and delivered (EGRESS) cursors, the backlog
 * (last sequence minus delivered cursor) and the age of the oldest undelivered message (the one
 * at the delivered cursor + 1; 0 when everything is delivered). One series per existing
 * destination, whoever leads it: what an alert compares the leaders against. Every ingress
 * instance reports the same values; dashboards take the max per destination.
 *
 * <p>One query per refresh: a row per destination and primary-key lookups. Refreshed by
 * {@link RetentionScheduling} and after every retention run; read by any metrics thread.
 */
final class DestinationGauges {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final MultiGauge lastSequence;
    private final MultiGauge cursor;
    private final MultiGauge backlog;
    private final MultiGauge oldestUndelivered;

    DestinationGauges(JdbcClient jdbc, Clock clock, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.lastSequence = MultiGauge.builder("reseq.destination.last.sequence")
                .description("The last sequence assigned to the destination").register(registry);
        this.cursor = MultiGauge.builder("reseq.destination.cursor")
                .description("The destination's stored cursor: released (role RESEQUENCER) or delivered (role EGRESS)")
                .register(registry);
        this.backlog = MultiGauge.builder("reseq.destination.backlog")
                .description("Messages of the destination not delivered yet: last sequence - delivered cursor")
                .register(registry);
        this.oldestUndelivered = MultiGauge.builder("reseq.destination.oldest.undelivered.age").baseUnit("seconds")
                .description("Age of the destination's oldest undelivered message, 0 when all are delivered")
                .register(registry);
    }

    private record Row(String destination, long last, long released, long delivered, Timestamp waiting) {
    }

    /** Reads every value again; destinations deleted since the last refresh lose their series. */
    synchronized void refresh() {
        long now = clock.millis();
        List<Row> rows = jdbc.sql("""
                        select s.destination, s.last_sequence,
                               coalesce(r.position, 0) as released, coalesce(e.position, 0) as delivered,
                               m.arrived_at
                          from destination_sequence s
                          left join destination_cursor r on r.destination = s.destination and r.role = 'RESEQUENCER'
                          left join destination_cursor e on e.destination = s.destination and e.role = 'EGRESS'
                          left join delivery d on d.destination = s.destination
                                              and d.sequence = coalesce(e.position, 0) + 1
                          left join message m on m.id = d.message_id""")
                .query((row, number) -> new Row(row.getString("destination"), row.getLong("last_sequence"),
                        row.getLong("released"), row.getLong("delivered"), row.getTimestamp("arrived_at")))
                .list();
        List<MultiGauge.Row<?>> last = new ArrayList<>();
        List<MultiGauge.Row<?>> cursors = new ArrayList<>();
        List<MultiGauge.Row<?>> backlogs = new ArrayList<>();
        List<MultiGauge.Row<?>> ages = new ArrayList<>();
        for (Row row : rows) {
            Tags tags = Tags.of("destination", row.destination());
            last.add(MultiGauge.Row.of(tags, row.last()));
            cursors.add(MultiGauge.Row.of(tags.and("role", "RESEQUENCER"), row.released()));
            cursors.add(MultiGauge.Row.of(tags.and("role", "EGRESS"), row.delivered()));
            backlogs.add(MultiGauge.Row.of(tags, Math.max(0, row.last() - row.delivered())));
            ages.add(MultiGauge.Row.of(tags,
                    row.waiting() == null ? 0 : Math.max(0, now - row.waiting().getTime()) / 1000.0));
        }
        lastSequence.register(last, true);
        cursor.register(cursors, true);
        backlog.register(backlogs, true);
        oldestUndelivered.register(ages, true);
    }
}
