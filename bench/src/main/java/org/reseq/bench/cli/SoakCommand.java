package org.reseq.bench.cli;

import java.util.List;
import org.reseq.bench.scenario.Scenario;
import org.reseq.bench.soak.SoakScenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench soak}. */
@Command(name = SoakScenario.NAME, mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A steady load for minutes: does storage stay bounded?",
            "One channel to --destinations destinations at a fixed rate, without transforms, every message with an "
                    + "Idempotency-Key. Prints one row per minute: ingest and delivery latency p99 of the messages "
                    + "that arrived in it, the sizes of message, delivery and idempotency_key and the messages "
                    + "retention removed (from ingress's /actuator/prometheus), the oldest message's age and Redis's "
                    + "peak. Start the stack with a short retention, for example "
                    + "RESEQ_RETENTION_DELIVERED=1m RESEQ_RETENTION_INTERVAL=10s RESEQ_INGEST_IDEMPOTENCY_RETENTION=1m "
                    + "deploy/local/up. No peers: they keep nothing.", ""})
public final class SoakCommand extends ScenarioCommand {

    @Option(order = 1, names = "--rate", defaultValue = "" + SoakScenario.RATE, paramLabel = "PER_S",
            description = "Arrivals per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(order = 2, names = "--minutes", defaultValue = "" + SoakScenario.MINUTES, paramLabel = "N",
            description = "How long messages arrive (default: ${DEFAULT-VALUE}).")
    int minutes;

    @Option(order = 3, names = "--payload-bytes", defaultValue = "" + SoakScenario.PAYLOAD_BYTES, paramLabel = "B",
            description = "Size of each payload (default: ${DEFAULT-VALUE}).")
    int payloadBytes;

    @Option(order = 4, names = "--destinations", defaultValue = "" + SoakScenario.DESTINATIONS, paramLabel = "N",
            description = "Destinations of the channel (default: ${DEFAULT-VALUE}).")
    int destinations;

    @Option(order = 5, names = "--senders", defaultValue = "" + SoakScenario.SENDERS, paramLabel = "N",
            description = "Keep-alive connections to ingress (default: ${DEFAULT-VALUE}).")
    int senders;

    @Override
    List<Scenario> scenarios() {
        return List.of(new SoakScenario(rate, minutes, payloadBytes, destinations, senders));
    }

    @Override
    boolean comparesPeers() {
        return false;
    }
}
