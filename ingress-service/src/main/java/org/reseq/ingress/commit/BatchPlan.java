package org.reseq.ingress.commit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.reseq.model.destination.Violation;
import org.reseq.model.headers.TravellingHeaders;

/**
 * The decisions of a group commit that need no store, kept apart so that they can be proven on
 * their own: which messages of a batch to insert, which ones repeat or contradict the holder of
 * their idempotency key, and which sequence each stored message gets at each destination.
 *
 * <p>A commit gives the plan what the store answered, step by step:
 * <ol>
 *   <li>{@link #fold}, with the routes and kept header names of the batch's channels: a message to
 *       an unknown channel is out, so is one with a kept header that cannot travel, and of the
 *       messages with one key on one channel only the first is a candidate to insert; the others
 *       follow it and are answered by whatever holds the key;</li>
 *   <li>the store inserts the {@link #candidates()}; its unique index turns away a key that an
 *       earlier commit holds, and the commit looks up that holder;</li>
 *   <li>the store takes {@link #sequencesNeeded} from each destination's counter;</li>
 *   <li>{@link #complete} hands those sequences out and answers every message.</li>
 * </ol>
 *
 * <p>Sequences: the stored messages get, per destination, the sequences right after its last one
 * before the batch, one each, in batch order, which is the order of arrival; repeats and refused
 * messages take none. So they are dense and follow commit order, batch after batch.
 *
 * <p>A repeat is the same content type and payload under the same key; anything else under a
 * held key is refused ({@link CommitOutcome.KeyReused}), whether the holder was stored by an
 * earlier commit or is an earlier message of the same batch. Headers are no part of a repeat: the
 * holder keeps those it came with.
 *
 * <p>Not thread-safe: one commit owns its plan.
 */
final class BatchPlan {

    private static final int NO_KEY = -1;

    private final List<PendingMessage> batch;
    private final Map<String, List<String>> routes;
    /** Per message, the index of the batch's first message with its channel and key, or {@link #NO_KEY}. */
    private final int[] firstWithKey;
    private final List<PendingMessage> candidates;
    /** Per message, the violations of its kept headers when they cannot travel, else null. */
    private final List<List<Violation>> refusedHeaders;
    /** Per candidate, by id, the headers its channel keeps. */
    private final Map<UUID, Map<String, String>> keptHeaders;

    private BatchPlan(List<PendingMessage> batch, Map<String, List<String>> routes, int[] firstWithKey,
            List<PendingMessage> candidates, List<List<Violation>> refusedHeaders,
            Map<UUID, Map<String, String>> keptHeaders) {
        this.batch = batch;
        this.routes = routes;
        this.firstWithKey = firstWithKey;
        this.candidates = candidates;
        this.refusedHeaders = refusedHeaders;
        this.keptHeaders = keptHeaders;
    }

    /** As {@link #fold(List, Map, Map)} for channels that keep no headers. */
    static BatchPlan fold(List<PendingMessage> batch, Map<String, List<String>> routes) {
        return fold(batch, routes, Map.of());
    }

    /**
     * @param batch the messages, in arrival order
     * @param routes per channel of the batch that exists, its destinations in route order
     * @param keepHeaders per channel of the batch, the header names it keeps; absent keeps none
     */
    static BatchPlan fold(List<PendingMessage> batch, Map<String, List<String>> routes,
            Map<String, List<String>> keepHeaders) {
        List<PendingMessage> messages = List.copyOf(batch);
        int[] firstWithKey = new int[messages.size()];
        Map<List<String>, Integer> firstIndex = new HashMap<>();
        List<PendingMessage> candidates = new ArrayList<>();
        List<List<Violation>> refusedHeaders = new ArrayList<>();
        Map<UUID, Map<String, String>> keptHeaders = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            PendingMessage message = messages.get(i);
            firstWithKey[i] = NO_KEY;
            refusedHeaders.add(null);
            if (!routes.containsKey(message.channel())) {
                continue;
            }
            List<String> keep = keepHeaders.getOrDefault(message.channel(), List.of());
            Map<String, String> kept = Map.of();
            if (!keep.isEmpty()) {
                List<Violation> violations = new ArrayList<>();
                kept = TravellingHeaders.keep(keep,
                        name -> message.sentHeaders().get(name.toLowerCase(Locale.ROOT)), violations);
                if (!violations.isEmpty()) {
                    // Refused before its key is folded: it holds no key for a later message.
                    refusedHeaders.set(i, violations);
                    continue;
                }
            }
            if (message.idempotencyKey() != null) {
                Integer first = firstIndex.putIfAbsent(List.of(message.channel(), message.idempotencyKey()), i);
                firstWithKey[i] = first == null ? i : first;
            }
            if (isCandidate(firstWithKey, i)) {
                candidates.add(message);
                keptHeaders.put(message.id(), kept);
            }
        }
        return new BatchPlan(messages, Map.copyOf(routes), firstWithKey, List.copyOf(candidates),
                refusedHeaders, keptHeaders);
    }

    /** The headers a candidate's channel keeps, in the channel's order; empty when it keeps none. */
    Map<String, String> keptHeaders(PendingMessage candidate) {
        return keptHeaders.getOrDefault(candidate.id(), Map.of());
    }

    /** The messages to insert, in batch order: every one to a known channel but the followers of a key. */
    List<PendingMessage> candidates() {
        return candidates;
    }

    /**
     * How many sequences each destination needs for the candidates that were inserted, by
     * destination name (the order to lock the counters in).
     */
    SortedMap<String, Integer> sequencesNeeded(Set<UUID> inserted) {
        SortedMap<String, Integer> needed = new TreeMap<>();
        for (PendingMessage message : candidates) {
            if (inserted.contains(message.id())) {
                for (String destination : routes.get(message.channel())) {
                    needed.merge(destination, 1, Integer::sum);
                }
            }
        }
        return needed;
    }

    /**
     * Hands out the sequences taken and answers every message of the batch.
     *
     * @param inserted the ids of the candidates the store inserted
     * @param holders per candidate the store turned away, by its id, the message holding its key
     * @param lastSequences per destination of {@link #sequencesNeeded}, its last sequence after
     *     the counts were taken from it
     * @throws IllegalArgumentException when a candidate was neither inserted nor turned away by a
     *     holder, or a destination lacks its last sequence: the store answered inconsistently
     */
    Planned complete(Set<UUID> inserted, Map<UUID, KeyHolder> holders, Map<String, Long> lastSequences) {
        Map<String, Long> next = new HashMap<>();
        sequencesNeeded(inserted).forEach((destination, count) -> {
            Long last = lastSequences.get(destination);
            if (last == null) {
                throw new IllegalArgumentException("No last sequence for destination " + destination);
            }
            next.put(destination, last - count + 1);
        });
        CommitOutcome[] outcomes = new CommitOutcome[batch.size()];
        KeyHolder[] holderOfKey = new KeyHolder[batch.size()];
        List<NewDelivery> deliveries = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            PendingMessage message = batch.get(i);
            if (!routes.containsKey(message.channel())) {
                outcomes[i] = new CommitOutcome.UnknownChannel(message.channel());
            } else if (refusedHeaders.get(i) != null) {
                outcomes[i] = new CommitOutcome.HeadersRefused(refusedHeaders.get(i));
            } else if (!isCandidate(firstWithKey, i)) {
                outcomes[i] = answer(message, holderOfKey[firstWithKey[i]]);
            } else if (inserted.contains(message.id())) {
                Receipt receipt = assign(message, next, deliveries);
                outcomes[i] = new CommitOutcome.Accepted(receipt);
                if (message.idempotencyKey() != null) {
                    holderOfKey[i] = KeyHolder.of(message, receipt);
                }
            } else {
                KeyHolder holder = holders.get(message.id());
                if (holder == null || message.idempotencyKey() == null) {
                    throw new IllegalArgumentException("Message " + message.id()
                            + " was neither stored nor turned away by the holder of its key");
                }
                holderOfKey[i] = holder;
                outcomes[i] = answer(message, holder);
            }
        }
        return new Planned(List.of(outcomes), deliveries);
    }

    private static boolean isCandidate(int[] firstWithKey, int index) {
        return firstWithKey[index] == NO_KEY || firstWithKey[index] == index;
    }

    /** Gives the message the next sequence of each of its destinations, in route order. */
    private Receipt assign(PendingMessage message, Map<String, Long> next, List<NewDelivery> deliveries) {
        List<Receipt.Delivery> receipt = new ArrayList<>();
        for (String destination : routes.get(message.channel())) {
            long sequence = next.merge(destination, 1L, Long::sum) - 1;
            receipt.add(new Receipt.Delivery(destination, sequence));
            deliveries.add(new NewDelivery(destination, sequence, message.id()));
        }
        return new Receipt(message.id(), message.channel(), receipt);
    }

    private static CommitOutcome answer(PendingMessage message, KeyHolder holder) {
        return holder.isRepeatedBy(message)
                ? new CommitOutcome.Replayed(holder.receipt())
                : new CommitOutcome.KeyReused(message.channel(), message.idempotencyKey());
    }

    /**
     * @param outcomes one per message, in batch order
     * @param deliveries the deliveries to store, in batch order and per message in route order
     */
    record Planned(List<CommitOutcome> outcomes, List<NewDelivery> deliveries) {

        Planned {
            outcomes = List.copyOf(outcomes);
            deliveries = List.copyOf(deliveries);
        }
    }

    /** One delivery of a newly stored message. */
    record NewDelivery(String destination, long sequence, UUID messageId) {
    }
}
