package org.reseq.ingress.retention;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What retention keeps, as gauges refreshed after every run: the size of each table it cleans,
 * the age of the oldest message still stored and of the oldest one delivered everywhere (how far
 * behind retention is). The per-destination gauges are {@link DestinationGauges}.
 *
 * <p>Refreshed on the retention thread; read by any metrics thread.
 */
final class RetentionGauges {

    /** The tables retention cleans (and the idempotency key cleaner's). */
    static final List<String> TABLES = List.of("message", "delivery", "dead_letter", "operator_action",
            "lease_takeover", "delivered_mark", "idempotency_key");

    private final JdbcClient jdbc;
    private final Clock clock;
    private final MultiGauge tableBytes;
    private final AtomicLong oldestMessageSeconds = new AtomicLong();
    private final AtomicLong oldestDeliveredSeconds = new AtomicLong();

    RetentionGauges(JdbcClient jdbc, Clock clock, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.tableBytes = MultiGauge.builder("reseq.retention.table.size").baseUnit("bytes")
                .description("Size on disk of a table retention cleans, indexes included").register(registry);
        Gauge.builder("reseq.retention.oldest.message.age", oldestMessageSeconds, AtomicLong::get)
                .baseUnit("seconds").description("Age of the oldest message still stored").register(registry);
        Gauge.builder("reseq.retention.oldest.delivered.age", oldestDeliveredSeconds, AtomicLong::get)
                .baseUnit("seconds").description("Age of the oldest message still stored that was delivered to every"
                        + " destination: about the retention period while retention keeps up").register(registry);
    }

    /** Reads every value again. */
    void refresh() {
        long now = clock.millis();
        tableBytes.register(jdbc.sql("select relname, pg_total_relation_size(oid) as bytes from pg_class"
                        + " where relkind = 'r' and relname in (:tables) and relnamespace = current_schema()::regnamespace")
                .param("tables", TABLES)
                .query((rows, number) -> MultiGauge.Row.of(Tags.of("table", rows.getString("relname")),
                        rows.getLong("bytes")))
                .list(), true);
        Timestamp oldest = jdbc.sql("select arrived_at from message order by id limit 1").query(Timestamp.class)
                .optional().orElse(null);
        oldestMessageSeconds.set(oldest == null ? 0 : Math.max(0, now - oldest.getTime()) / 1000);
        Timestamp oldestDelivered = jdbc.sql("""
                        select m.arrived_at from message m
                         where not exists (select 1 from delivery d
                                             join destination_cursor c on c.destination = d.destination and c.role = 'EGRESS'
                                            where d.message_id = m.id and d.sequence > c.position)
                         order by m.id limit 1""")
                .query(Timestamp.class).optional().orElse(null);
        oldestDeliveredSeconds.set(oldestDelivered == null ? 0 : Math.max(0, now - oldestDelivered.getTime()) / 1000);
    }
}
