package org.reseq.bench.peer;

import java.time.Duration;
import java.util.function.DoubleSupplier;
import org.reseq.bench.report.RunResult;
import org.reseq.bench.system.OsProcesses;
import org.reseq.bench.workload.Workload;

/**
 * Spring Integration's {@code ResequencingMessageHandler}, releasing partial sequences, with its
 * messages in a {@code SimpleMessageStore} (memory) or a {@code JdbcMessageStore} on PostgreSQL.
 */
final class SpringIntegrationPeer implements Peer {

    private final String name;
    private final Duration maxRunTime;
    private final MessageStores stores;
    private final DoubleSupplier otherCpuSeconds;
    private final String setup;

    private SpringIntegrationPeer(String name, Duration maxRunTime, MessageStores stores,
            DoubleSupplier otherCpuSeconds, String setup) {
        this.name = name;
        this.maxRunTime = maxRunTime;
        this.stores = stores;
        this.otherCpuSeconds = otherCpuSeconds;
        this.setup = setup;
    }

    static SpringIntegrationPeer inMemory(Duration maxRunTime) {
        return new SpringIntegrationPeer(Peers.SI_SIMPLE, maxRunTime, MessageStores.inMemory(), null,
                "ResequencingMessageHandler, releasePartialSequences, SimpleMessageStore");
    }

    static SpringIntegrationPeer onPostgres(PeerSettings settings) {
        if (settings.jdbcUrl() == null || settings.jdbcUrl().isBlank()) {
            throw new IllegalArgumentException(Peers.SI_JDBC + " needs a PostgreSQL JDBC URL");
        }
        // PostgreSQL serves the store, so its CPU is the peer's too.
        return new SpringIntegrationPeer(Peers.SI_JDBC, settings.maxRunTime(), MessageStores.postgres(settings),
                () -> OsProcesses.cpuSeconds(OsProcesses.postgres()),
                "ResequencingMessageHandler, releasePartialSequences, JdbcMessageStore on PostgreSQL (database "
                        + IntegrationDatabase.NAME + ", fresh tables per run; CPU includes all of PostgreSQL's)");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public RunResult run(String scenario, String variant, Workload workload, int destinations) throws Exception {
        return new InProcessRun(workload, destinations, maxRunTime).run(name, scenario, variant,
                ParallelTransforms.around(destinations,
                        (count, recorder) -> SpringIntegrationResequencer.start(stores.open(), recorder)),
                otherCpuSeconds, setup);
    }
}
