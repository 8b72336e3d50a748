package org.reseq.ingress.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Vacuums the tables retention cleans when PostgreSQL's autovacuum is off. A deleted row's space
 * is reused only once a vacuum has passed over it; without one, every table retention cleans
 * grows by what it removes, however little it keeps (seen on a server with {@code autovacuum =
 * off}: the message table grew by 14 MiB a minute at 200 messages per second while it held 15,000
 * rows). With autovacuum on, this does nothing: autovacuum does the same, better paced.
 *
 * <p>A table is vacuumed when autovacuum would have: its dead rows exceed 50 plus a fifth of its
 * live ones (PostgreSQL's default threshold and scale factor). A plain {@code VACUUM} takes no
 * lock that blocks reads or writes, and {@code skip_locked} leaves a table another instance is
 * vacuuming to that one.
 *
 * <p>Called on the retention thread only.
 */
final class DeadRowVacuum {

    private static final Logger log = LoggerFactory.getLogger(DeadRowVacuum.class);

    private final JdbcClient jdbc;
    private final List<String> tables;
    private final MeterRegistry registry;
    private final Map<String, Counter> vacuums = new ConcurrentHashMap<>();
    private boolean warned;

    DeadRowVacuum(JdbcClient jdbc, List<String> tables, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.tables = List.copyOf(tables);
        this.registry = registry;
    }

    /** Vacuums the tables with many dead rows, when autovacuum is off. */
    void vacuumIfNeeded() {
        if (autovacuumIsOn()) {
            return;
        }
        if (!warned) {
            warned = true;
            log.warn("PostgreSQL's autovacuum is off: retention vacuums the tables it cleans itself. Turn "
                    + "autovacuum on for every other table's sake");
        }
        List<String> due = jdbc.sql("""
                        select relname from pg_stat_user_tables
                         where relname in (:tables) and schemaname = current_schema()
                           and n_dead_tup > 50 + 0.2 * n_live_tup""")
                .param("tables", tables).query(String.class).list();
        for (String table : due) {
            // The name comes from the fixed list above, never from outside.
            jdbc.sql("vacuum (skip_locked) " + table).update();
            vacuums.computeIfAbsent(table, name -> Counter.builder("reseq.retention.vacuums")
                    .description("Vacuums retention ran itself because autovacuum is off").tag("table", name)
                    .register(registry)).increment();
        }
    }

    private boolean autovacuumIsOn() {
        return "on".equals(jdbc.sql("select current_setting('autovacuum')").query(String.class).single());
    }
}
