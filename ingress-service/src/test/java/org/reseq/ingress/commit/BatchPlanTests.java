package org.reseq.ingress.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.reseq.model.destination.Violation;

/**
 * The pure part of a group commit, batch after batch: every destination's sequences are dense,
 * continue from its last one, follow arrival order and are never given twice; a message repeated
 * under its key (same payload and content type) gets the first one's receipt and takes no
 * sequence, and a different message under a held key is refused, whether the key is held by an
 * earlier batch or by an earlier message of the same batch.
 *
 * <p>Keys, payloads and content types come from small sets, so that repeats and reused keys, in
 * one batch and across batches, are common.
 */
class BatchPlanTests {

    private static final List<String> DESTINATIONS = List.of("d1", "d2", "d3", "d4");
    private static final List<String> CHANNELS = List.of("a", "b", "c");
    private static final String UNKNOWN_CHANNEL = "nowhere";

    @Property(tries = 1000)
    void eachDestinationsSequencesAreDenseAndContinueFromItsLastOne(@ForAll("scenarios") Scenario scenario) {
        StoreModel store = new StoreModel(scenario.routes(), scenario.initialLast());

        for (List<PendingMessage> batch : scenario.batches()) {
            Map<String, Long> before = new HashMap<>(store.last);
            BatchPlan.Planned planned = store.commit(batch);

            for (String destination : DESTINATIONS) {
                List<Long> taken = planned.deliveries().stream()
                        .filter(delivery -> delivery.destination().equals(destination))
                        .map(BatchPlan.NewDelivery::sequence).sorted().toList();
                long last = before.get(destination);
                assertThat(taken).as("sequences of %s", destination)
                        .containsExactlyElementsOf(range(last + 1, last + taken.size()));
                assertThat(store.last.get(destination)).isEqualTo(last + taken.size());
            }
        }
    }

    @Property(tries = 1000)
    void eachDestinationGetsItsMessagesInArrivalOrder(@ForAll("scenarios") Scenario scenario) {
        StoreModel store = new StoreModel(scenario.routes(), scenario.initialLast());
        Map<String, Long> previous = new HashMap<>(scenario.initialLast());

        for (List<PendingMessage> batch : scenario.batches()) {
            BatchPlan.Planned planned = store.commit(batch);

            for (int i = 0; i < batch.size(); i++) {
                if (planned.outcomes().get(i) instanceof CommitOutcome.Accepted accepted) {
                    for (Receipt.Delivery delivery : accepted.receipt().deliveries()) {
                        assertThat(delivery.sequence()).as("message %d of the batch at %s", i, delivery.destination())
                                .isEqualTo(previous.get(delivery.destination()) + 1);
                        previous.put(delivery.destination(), delivery.sequence());
                    }
                }
            }
        }
    }

    @Property(tries = 1000)
    void noSequenceIsGivenTwiceAcrossBatches(@ForAll("scenarios") Scenario scenario) {
        StoreModel store = new StoreModel(scenario.routes(), scenario.initialLast());

        scenario.batches().forEach(store::commit);

        Set<String> seen = new HashSet<>();
        for (BatchPlan.NewDelivery delivery : store.deliveries) {
            assertThat(seen.add(delivery.destination() + "#" + delivery.sequence()))
                    .as("%s #%d given once", delivery.destination(), delivery.sequence()).isTrue();
        }
    }

    @Property(tries = 1000)
    void aRepeatGetsTheFirstOnesReceiptAndADifferentMessageUnderAHeldKeyIsRefused(
            @ForAll("scenarios") Scenario scenario) {
        StoreModel store = new StoreModel(scenario.routes(), scenario.initialLast());
        // Arrival order across all batches decides which message holds a key.
        Map<List<String>, PendingMessage> holders = new HashMap<>();
        Map<UUID, Receipt> receipts = new HashMap<>();

        for (List<PendingMessage> batch : scenario.batches()) {
            List<CommitOutcome> outcomes = store.commit(batch).outcomes();

            assertThat(outcomes).hasSameSizeAs(batch);
            for (int i = 0; i < batch.size(); i++) {
                PendingMessage message = batch.get(i);
                CommitOutcome outcome = outcomes.get(i);
                PendingMessage holder = message.idempotencyKey() == null ? null
                        : holders.get(List.of(message.channel(), message.idempotencyKey()));
                if (!scenario.routes().containsKey(message.channel())) {
                    assertThat(outcome).isEqualTo(new CommitOutcome.UnknownChannel(message.channel()));
                } else if (holder == null) {
                    assertThat(outcome).isInstanceOf(CommitOutcome.Accepted.class);
                    receipts.put(message.id(), ((CommitOutcome.Accepted) outcome).receipt());
                    if (message.idempotencyKey() != null) {
                        holders.put(List.of(message.channel(), message.idempotencyKey()), message);
                    }
                } else if (sameContent(message, holder)) {
                    assertThat(outcome).isEqualTo(new CommitOutcome.Replayed(receipts.get(holder.id())));
                } else {
                    assertThat(outcome).isEqualTo(
                            new CommitOutcome.KeyReused(message.channel(), message.idempotencyKey()));
                }
            }
        }
        // Only accepted messages were stored with deliveries: repeats and refusals take no sequence.
        assertThat(store.deliveries).allSatisfy(delivery ->
                assertThat(receipts).containsKey(delivery.messageId()));
    }

    @Property(tries = 1000)
    void everyAcceptedMessageIsStoredOncePerDestinationAsItsReceiptSays(@ForAll("scenarios") Scenario scenario) {
        StoreModel store = new StoreModel(scenario.routes(), scenario.initialLast());

        for (List<PendingMessage> batch : scenario.batches()) {
            BatchPlan.Planned planned = store.commit(batch);

            for (int i = 0; i < batch.size(); i++) {
                if (planned.outcomes().get(i) instanceof CommitOutcome.Accepted accepted) {
                    PendingMessage message = batch.get(i);
                    Receipt receipt = accepted.receipt();
                    assertThat(receipt.messageId()).isEqualTo(message.id());
                    assertThat(receipt.deliveries()).extracting(Receipt.Delivery::destination)
                            .containsExactlyElementsOf(scenario.routes().get(message.channel()));
                    assertThat(planned.deliveries().stream()
                            .filter(delivery -> delivery.messageId().equals(message.id()))
                            .map(delivery -> new Receipt.Delivery(delivery.destination(), delivery.sequence())))
                            .containsExactlyElementsOf(receipt.deliveries());
                }
            }
        }
    }

    @Example
    void aRepeatInTheSameBatchGetsTheFirstOnesSequences() {
        StoreModel store = new StoreModel(Map.of("a", List.of("d1", "d2")), Map.of("d1", 7L, "d2", 0L));
        PendingMessage first = message("a", "k", "text/plain", "hello");
        PendingMessage repeat = message("a", "k", "text/plain", "hello");

        List<CommitOutcome> outcomes = store.commit(List.of(first, repeat)).outcomes();

        Receipt receipt = new Receipt(first.id(), "a",
                List.of(new Receipt.Delivery("d1", 8), new Receipt.Delivery("d2", 1)));
        assertThat(outcomes).containsExactly(new CommitOutcome.Accepted(receipt), new CommitOutcome.Replayed(receipt));
        assertThat(store.last).containsEntry("d1", 8L).containsEntry("d2", 1L);
    }

    @Example
    void anotherPayloadOrContentTypeUnderTheKeyInTheSameBatchIsRefused() {
        StoreModel store = new StoreModel(Map.of("a", List.of("d1")), Map.of());
        PendingMessage first = message("a", "k", "text/plain", "hello");
        PendingMessage otherPayload = message("a", "k", "text/plain", "bye");
        PendingMessage otherType = message("a", "k", "application/json", "hello");
        PendingMessage unkeyed = message("a", null, "text/plain", "hello");

        List<CommitOutcome> outcomes = store.commit(List.of(first, otherPayload, otherType, unkeyed)).outcomes();

        assertThat(outcomes.get(0)).isInstanceOf(CommitOutcome.Accepted.class);
        assertThat(outcomes.get(1)).isEqualTo(new CommitOutcome.KeyReused("a", "k"));
        assertThat(outcomes.get(2)).isEqualTo(new CommitOutcome.KeyReused("a", "k"));
        // The refused ones took no sequence: the next message follows the first directly.
        assertThat(((CommitOutcome.Accepted) outcomes.get(3)).receipt().deliveries())
                .containsExactly(new Receipt.Delivery("d1", 2));
    }

    @Example
    void aKeyHeldByAnEarlierCommitJudgesEveryMessageOfTheBatchThatUsesIt() {
        StoreModel store = new StoreModel(Map.of("a", List.of("d1")), Map.of());
        PendingMessage holder = message("a", "k", "text/plain", "original");
        store.commit(List.of(holder));
        PendingMessage different = message("a", "k", "text/plain", "changed");
        PendingMessage repeat = message("a", "k", "text/plain", "original");

        List<CommitOutcome> outcomes = store.commit(List.of(different, repeat)).outcomes();

        // The second is a repeat of the holder, though it differs from the first of its batch.
        assertThat(outcomes).containsExactly(new CommitOutcome.KeyReused("a", "k"), new CommitOutcome.Replayed(
                new Receipt(holder.id(), "a", List.of(new Receipt.Delivery("d1", 1)))));
        assertThat(store.last).containsEntry("d1", 1L);
    }

    @Example
    void theSameKeyOnAnotherChannelIsAnotherMessage() {
        StoreModel store = new StoreModel(Map.of("a", List.of("d1"), "b", List.of("d1")), Map.of());

        List<CommitOutcome> outcomes = store.commit(List.of(
                message("a", "k", "text/plain", "one"), message("b", "k", "text/plain", "two"))).outcomes();

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome).isInstanceOf(CommitOutcome.Accepted.class));
        assertThat(store.last).containsEntry("d1", 2L);
    }

    @Example
    void aStoreThatNeitherInsertedACandidateNorNamedItsKeysHolderIsAnError() {
        BatchPlan plan = BatchPlan.fold(List.of(message("a", "k", "text/plain", "x")), Map.of("a", List.of("d1")));

        assertThatThrownBy(() -> plan.complete(Set.of(), Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<List<String>> route = Arbitraries.of(DESTINATIONS).list().uniqueElements().ofMaxSize(4);
        Arbitrary<Map<String, List<String>>> routes = route.list().ofSize(CHANNELS.size()).map(lists -> {
            Map<String, List<String>> byChannel = new LinkedHashMap<>();
            for (int i = 0; i < CHANNELS.size(); i++) {
                byChannel.put(CHANNELS.get(i), lists.get(i));
            }
            return byChannel;
        });
        Arbitrary<Map<String, Long>> lasts = Arbitraries.longs().between(0, 1_000).list().ofSize(DESTINATIONS.size())
                .map(values -> {
                    Map<String, Long> byDestination = new HashMap<>();
                    for (int i = 0; i < DESTINATIONS.size(); i++) {
                        byDestination.put(DESTINATIONS.get(i), values.get(i));
                    }
                    return byDestination;
                });
        Arbitrary<Sent> sent = Combinators.combine(
                Arbitraries.of("a", "b", "c", UNKNOWN_CHANNEL),
                Arbitraries.of("k1", "k2", "k3").injectNull(0.3),
                Arbitraries.of("text/plain", "application/json"),
                Arbitraries.of("x", "y")).as(Sent::new);
        Arbitrary<List<List<Sent>>> batches = sent.list().ofMaxSize(12).list().ofMinSize(1).ofMaxSize(8);
        return Combinators.combine(routes, lasts, batches).as((r, l, b) -> new Scenario(r, l, messages(b)));
    }

    /** What a sender sent, before it became a message with an id. */
    record Sent(String channel, String key, String contentType, String payload) {
    }

    record Scenario(Map<String, List<String>> routes, Map<String, Long> initialLast,
            List<List<PendingMessage>> batches) {
    }

    @Example
    void aMessageWithAKeptHeaderThatCannotTravelIsRefusedAndHoldsNoKey() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        byte[] payload = "p".getBytes(StandardCharsets.UTF_8);
        PendingMessage tooLong = new PendingMessage(UUID.randomUUID(), "a", "text/plain", payload, now, "k",
                Map.of("x-tenant", "t".repeat(1025)));
        PendingMessage kept = new PendingMessage(UUID.randomUUID(), "a", "text/plain", payload, now, "k",
                Map.of("x-tenant", "acme", "x-other", "ignored"));
        PendingMessage none = new PendingMessage(UUID.randomUUID(), "a", "text/plain", payload, now, null);

        BatchPlan plan = BatchPlan.fold(List.of(tooLong, kept, none), Map.of("a", List.of("d1")),
                Map.of("a", List.of("X-Tenant")));

        assertThat(plan.candidates()).containsExactly(kept, none);
        assertThat(plan.keptHeaders(kept)).containsExactly(Map.entry("X-Tenant", "acme"));
        assertThat(plan.keptHeaders(none)).isEmpty();
        List<CommitOutcome> outcomes = plan.complete(Set.of(kept.id(), none.id()), Map.of(), Map.of("d1", 2L))
                .outcomes();
        assertThat(outcomes.getFirst()).isInstanceOfSatisfying(CommitOutcome.HeadersRefused.class,
                refused -> assertThat(refused.violations()).extracting(Violation::field)
                        .containsExactly("headers.X-Tenant"));
        assertThat(outcomes.subList(1, 3)).allMatch(CommitOutcome.Accepted.class::isInstance);
    }

    private static List<List<PendingMessage>> messages(List<List<Sent>> batches) {
        List<List<PendingMessage>> messages = new ArrayList<>();
        for (List<Sent> batch : batches) {
            messages.add(batch.stream()
                    .map(sent -> message(sent.channel(), sent.key(), sent.contentType(), sent.payload())).toList());
        }
        return messages;
    }

    private static PendingMessage message(String channel, String key, String contentType, String payload) {
        return new PendingMessage(UUID.randomUUID(), channel, contentType, payload.getBytes(StandardCharsets.UTF_8),
                Instant.EPOCH, key);
    }

    private static boolean sameContent(PendingMessage a, PendingMessage b) {
        return a.contentType().equals(b.contentType()) && Arrays.equals(a.payload(), b.payload());
    }

    private static List<Long> range(long first, long last) {
        List<Long> range = new ArrayList<>();
        for (long sequence = first; sequence <= last; sequence++) {
            range.add(sequence);
        }
        return range;
    }

    /**
     * Gives a plan the answers PostgreSQL gives {@link JdbcBatchCommitter}: the unique index over
     * (channel, key) turns away a key an earlier commit holds, the holder is found with the
     * receipt of its stored deliveries, and each destination's counter moves on by what is taken.
     * The same properties are checked against PostgreSQL itself in
     * {@code JdbcBatchCommitterIntegrationTests}.
     */
    private static final class StoreModel {

        final Map<String, List<String>> routes;
        final Map<String, Long> last = new HashMap<>();
        final List<BatchPlan.NewDelivery> deliveries = new ArrayList<>();
        private final Map<List<String>, PendingMessage> keys = new HashMap<>();

        StoreModel(Map<String, List<String>> routes, Map<String, Long> initialLast) {
            this.routes = routes;
            DESTINATIONS.forEach(destination -> last.put(destination, initialLast.getOrDefault(destination, 0L)));
        }

        BatchPlan.Planned commit(List<PendingMessage> batch) {
            BatchPlan plan = BatchPlan.fold(batch, routes);
            Set<UUID> inserted = new HashSet<>();
            Map<UUID, KeyHolder> holders = new HashMap<>();
            for (PendingMessage candidate : plan.candidates()) {
                PendingMessage holder = candidate.idempotencyKey() == null ? null
                        : keys.putIfAbsent(List.of(candidate.channel(), candidate.idempotencyKey()), candidate);
                if (holder == null) {
                    inserted.add(candidate.id());
                } else {
                    holders.put(candidate.id(), holderOf(holder));
                }
            }
            SortedMap<String, Integer> needed = plan.sequencesNeeded(inserted);
            Map<String, Long> taken = new HashMap<>();
            needed.forEach((destination, count) -> taken.put(destination, last.merge(destination, (long) count, Long::sum)));
            BatchPlan.Planned planned = plan.complete(inserted, holders, taken);
            deliveries.addAll(planned.deliveries());
            return planned;
        }

        private KeyHolder holderOf(PendingMessage message) {
            List<Receipt.Delivery> stored = new ArrayList<>();
            for (String destination : routes.get(message.channel())) {
                deliveries.stream()
                        .filter(delivery -> delivery.messageId().equals(message.id())
                                && delivery.destination().equals(destination))
                        .forEach(delivery -> stored.add(new Receipt.Delivery(destination, delivery.sequence())));
            }
            return new KeyHolder(new Receipt(message.id(), message.channel(), stored), message.contentType(),
                    message.payload());
        }
    }
}
