package org.reseq.ingress.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.reseq.infra.TestInfrastructure;
import org.reseq.ingress.support.HttpTester;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The committer against PostgreSQL itself, with two committers at once (as two ingress instances
 * are): random batches drawn from few keys, payloads and content types, so that repeats and reused
 * keys meet within a batch, across batches and across committers. Afterwards every destination's
 * sequences are dense, each batch took one unbroken range per destination in arrival order, each
 * key holds one message, and every answer agrees with what is stored.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class JdbcBatchCommitterIntegrationTests {

    private static final TestInfrastructure INFRA = TestInfrastructure.fresh("batch-committer");
    private static final Map<String, List<String>> ROUTES = Map.of(
            "ch-a", List.of("dst-1", "dst-2"),
            "ch-b", List.of("dst-2", "dst-3"),
            "ch-c", List.of("dst-3"));
    private static final List<String> DESTINATIONS = List.of("dst-1", "dst-2", "dst-3");
    private static final List<String> CHANNELS = List.of("ch-a", "ch-b", "ch-c", "ch-missing");
    private static final int BATCHES_PER_COMMITTER = 40;
    private static final int MAX_BATCH = 20;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        INFRA.register(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    private record Committed(List<PendingMessage> batch, CommittedBatch result) {
    }

    @Test
    void twoCommittersKeepSequencesDenseInArrivalOrderAndEveryKeyOnOneMessage() throws Exception {
        HttpTester http = new HttpTester(port);
        ROUTES.forEach((channel, destinations) -> http.channel(channel, destinations.toArray(String[]::new)));
        long seed = new Random().nextLong();
        JdbcBatchCommitter committer = new JdbcBatchCommitter(dataSource);
        List<List<Committed>> runs = new ArrayList<>();
        try (ExecutorService committers = Executors.newFixedThreadPool(2)) {
            Future<List<Committed>> first = committers.submit(() -> commitRandomBatches(committer, new Random(seed)));
            Future<List<Committed>> second = committers.submit(() -> commitRandomBatches(committer, new Random(~seed)));
            runs.add(first.get());
            runs.add(second.get());
        }
        String run = "run with seed " + seed;
        List<Committed> committed = runs.stream().flatMap(List::stream).toList();
        assertThat(committed.stream().flatMap(batch -> batch.result().outcomes().stream()).map(Object::getClass))
                .as("%s met every case", run).contains(CommitOutcome.Accepted.class, CommitOutcome.Replayed.class,
                        CommitOutcome.KeyReused.class, CommitOutcome.UnknownChannel.class);

        for (String destination : DESTINATIONS) {
            long last = jdbc.sql("select last_sequence from destination_sequence where destination = :d")
                    .param("d", destination).query(Long.class).single();
            assertThat(jdbc.sql("select sequence from delivery where destination = :d order by sequence")
                    .param("d", destination).query(Long.class).list()).as("%s: %s", run, destination)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
        }
        for (List<Committed> oneCommitter : runs) {
            Map<String, Long> previous = new HashMap<>();
            for (Committed batch : oneCommitter) {
                assertEachDestinationTookOneRangeInArrivalOrder(batch, previous, run);
                assertAcceptedMessagesAreStoredAsTheirReceiptsSay(batch, run);
            }
        }
        assertEveryKeyHoldsOneMessageAndEveryAnswerAgreesWithIt(committed, run);
        assertThat(jdbc.sql("select count(*) from message where channel = 'ch-missing'").query(Long.class).single())
                .isZero();
    }

    private static List<Committed> commitRandomBatches(JdbcBatchCommitter committer, Random random) throws Exception {
        List<Committed> committed = new ArrayList<>();
        for (int b = 0; b < BATCHES_PER_COMMITTER; b++) {
            List<PendingMessage> batch = new ArrayList<>();
            int size = 1 + random.nextInt(MAX_BATCH);
            for (int i = 0; i < size; i++) {
                String key = random.nextInt(10) < 3 ? null : "key-" + random.nextInt(6);
                batch.add(new PendingMessage(UUID.randomUUID(), CHANNELS.get(random.nextInt(CHANNELS.size())),
                        random.nextBoolean() ? "text/plain" : "application/json",
                        (random.nextBoolean() ? "x" : "y").getBytes(StandardCharsets.UTF_8), Instant.now(), key));
            }
            committed.add(new Committed(batch, committer.commit(batch)));
        }
        return committed;
    }

    /** {@code previous}: the last sequence per destination that this committer's earlier batches took. */
    private static void assertEachDestinationTookOneRangeInArrivalOrder(Committed committed,
            Map<String, Long> previous, String run) {
        Map<String, List<Long>> taken = new HashMap<>();
        for (CommitOutcome outcome : committed.result().outcomes()) {
            if (outcome instanceof CommitOutcome.Accepted accepted) {
                accepted.receipt().deliveries().forEach(delivery ->
                        taken.computeIfAbsent(delivery.destination(), d -> new ArrayList<>()).add(delivery.sequence()));
            }
        }
        assertThat(committed.result().lastSequences().keySet()).as(run).isEqualTo(taken.keySet());
        taken.forEach((destination, sequences) -> {
            long last = committed.result().lastSequences().get(destination);
            assertThat(sequences).as("%s: a batch's sequences at %s", run, destination)
                    .containsExactlyElementsOf(LongStream.rangeClosed(last - sequences.size() + 1, last).boxed().toList());
            assertThat(sequences.getFirst()).as("%s: after the committer's earlier batches at %s", run, destination)
                    .isGreaterThan(previous.getOrDefault(destination, 0L));
            previous.put(destination, last);
        });
    }

    private void assertAcceptedMessagesAreStoredAsTheirReceiptsSay(Committed committed, String run) {
        for (int i = 0; i < committed.batch().size(); i++) {
            PendingMessage message = committed.batch().get(i);
            CommitOutcome outcome = committed.result().outcomes().get(i);
            if (!ROUTES.containsKey(message.channel())) {
                assertThat(outcome).as(run).isEqualTo(new CommitOutcome.UnknownChannel(message.channel()));
            } else if (outcome instanceof CommitOutcome.Accepted accepted) {
                assertThat(accepted.receipt().deliveries()).as(run).extracting(Receipt.Delivery::destination)
                        .containsExactlyElementsOf(ROUTES.get(message.channel()));
                assertThat(jdbc.sql("select destination, sequence from delivery where message_id = :id")
                        .param("id", message.id())
                        .query((row, n) -> new Receipt.Delivery(row.getString(1), row.getLong(2))).list())
                        .as(run).containsExactlyInAnyOrderElementsOf(accepted.receipt().deliveries());
            } else {
                assertThat(jdbc.sql("select count(*) from message where id = :id").param("id", message.id())
                        .query(Long.class).single()).as("%s: %s was not stored", run, outcome).isZero();
            }
        }
    }

    private void assertEveryKeyHoldsOneMessageAndEveryAnswerAgreesWithIt(List<Committed> committed, String run)
            throws Exception {
        JdbcReceipts receipts = new JdbcReceipts(dataSource);
        Set<List<String>> keys = new LinkedHashSet<>();
        for (Committed batch : committed) {
            for (int i = 0; i < batch.batch().size(); i++) {
                PendingMessage message = batch.batch().get(i);
                if (message.idempotencyKey() == null || !ROUTES.containsKey(message.channel())) {
                    continue;
                }
                keys.add(List.of(message.channel(), message.idempotencyKey()));
                KeyHolder holder = receipts.find(message.channel(), message.idempotencyKey()).orElseThrow();
                switch (batch.result().outcomes().get(i)) {
                    case CommitOutcome.Accepted accepted ->
                            assertThat(accepted.receipt()).as(run).isEqualTo(holder.receipt());
                    case CommitOutcome.Replayed replayed -> {
                        assertThat(replayed.original()).as(run).isEqualTo(holder.receipt());
                        assertThat(holder.isRepeatedBy(message)).as("%s: a replay repeats the holder", run).isTrue();
                    }
                    case CommitOutcome.KeyReused reused ->
                            assertThat(holder.isRepeatedBy(message)).as("%s: a refusal differs", run).isFalse();
                    case CommitOutcome.UnknownChannel unknown -> fail("%s: %s routes somewhere", run, unknown.channel());
                    case CommitOutcome.HeadersRefused refused -> fail("%s: no headers were sent", run);
                }
            }
        }
        assertThat(jdbc.sql("select count(*) from message m join idempotency_key k on k.message_id = m.id")
                .query(Long.class).single())
                .as(run).isEqualTo(keys.size());
    }
}
