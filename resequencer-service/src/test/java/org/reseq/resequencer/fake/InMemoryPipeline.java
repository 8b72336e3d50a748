package org.reseq.resequencer.fake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.reseq.model.failure.DeadLetter;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.lease.LeaseRole;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.WorkItem;
import org.reseq.resequencer.dispatch.Deliveries;
import org.reseq.resequencer.dispatch.PendingDelivery;
import org.reseq.resequencer.dispatch.Progress;
import org.reseq.resequencer.dispatch.WorkQueue;
import org.reseq.resequencer.failure.DeadLetterRecorder;
import org.reseq.resequencer.failure.OperatorCommands;
import org.reseq.resequencer.failure.Original;

/**
 * What surrounds a resequencer leader, in memory: the deliveries ingress stored, the work queue,
 * the dead letters and the operators' commands, with the cursors and the result buffer. For fast
 * unit tests of the leader; the contract tests show the fakes behave as the real stores do.
 * Thread-safe: the leader's thread and the test's thread both use it.
 */
public final class InMemoryPipeline implements Deliveries, WorkQueue, DeadLetterRecorder, OperatorCommands {

    public final InMemoryResultBuffer results = new InMemoryResultBuffer();
    public final InMemoryCursors cursors = new InMemoryCursors();
    private final Map<String, List<PendingDelivery>> deliveries = new HashMap<>();
    private final Map<String, String> configs = new HashMap<>();
    private final List<WorkItem> work = new ArrayList<>();
    private final Map<String, Map<Long, DeadLetter.Stage>> deadLetters = new HashMap<>();
    private final Map<String, Deque<OperatorCommand>> commands = new HashMap<>();

    /** Creates a destination with its configuration. */
    public synchronized void destination(String name, String configJson) {
        configs.put(name, configJson);
        deliveries.putIfAbsent(name, new ArrayList<>());
    }

    /** Deletes a destination: its progress is gone, the rest stays as a late leader would find it. */
    public synchronized void delete(String name) {
        configs.remove(name);
    }

    /** Ingress stored {@code count} more deliveries; returns the last sequence. */
    public synchronized long ingest(String destination, int count) {
        List<PendingDelivery> stored = deliveries.get(destination);
        for (int i = 0; i < count; i++) {
            long sequence = stored.size() + 1;
            stored.add(new PendingDelivery(sequence, UUID.nameUUIDFromBytes((destination + sequence).getBytes()),
                    "text/plain", ("m-" + sequence).getBytes(StandardCharsets.UTF_8)));
        }
        return stored.size();
    }

    /** Ingress stored {@code count} more deliveries of {@code payloadBytes} each; returns the last sequence. */
    public synchronized long ingest(String destination, int count, int payloadBytes) {
        List<PendingDelivery> stored = deliveries.get(destination);
        for (int i = 0; i < count; i++) {
            long sequence = stored.size() + 1;
            stored.add(new PendingDelivery(sequence, UUID.nameUUIDFromBytes((destination + sequence).getBytes()),
                    "application/octet-stream", new byte[payloadBytes]));
        }
        return stored.size();
    }

    /** Every work item dispatched so far, oldest first. */
    public synchronized List<WorkItem> work() {
        return List.copyOf(work);
    }

    /** The dead letters of {@code destination}, by sequence. */
    public synchronized Map<Long, DeadLetter.Stage> deadLetters(String destination) {
        return Map.copyOf(deadLetters.getOrDefault(destination, Map.of()));
    }

    /** An operator asked for {@code command}. */
    public synchronized void command(String destination, OperatorCommand command) {
        commands.computeIfAbsent(destination, d -> new ArrayDeque<>()).addLast(command);
    }

    /** The commands still waiting. */
    public synchronized List<OperatorCommand> commands(String destination) {
        return List.copyOf(commands.getOrDefault(destination, new ArrayDeque<>()));
    }

    @Override
    public synchronized Optional<Progress> progress(String destination) {
        if (!configs.containsKey(destination)) {
            return Optional.empty();
        }
        return Optional.of(new Progress(deliveries.get(destination).size(),
                cursors.position(destination, LeaseRole.EGRESS), configs.get(destination)));
    }

    @Override
    public synchronized List<PendingDelivery> between(String destination, long after, long upTo, long maxBytes) {
        List<PendingDelivery> stored = deliveries.getOrDefault(destination, List.of());
        List<PendingDelivery> range = new ArrayList<>();
        long bytes = 0;
        for (PendingDelivery delivery : stored.subList((int) Math.min(after, stored.size()),
                (int) Math.min(upTo, stored.size()))) {
            if (bytes >= maxBytes) {
                break;
            }
            range.add(delivery);
            bytes += delivery.payload().length;
        }
        return range;
    }

    @Override
    public synchronized void addAll(List<WorkItem> items) {
        work.addAll(items);
    }

    @Override
    public synchronized boolean exists(String destination, long sequence) {
        return deadLetters.getOrDefault(destination, Map.of()).containsKey(sequence);
    }

    @Override
    public synchronized Optional<Original> record(Lease lease, long sequence, DeadLetter.Stage stage, String error,
                                                  int attempts) {
        lease.ensureValid();
        List<PendingDelivery> stored = deliveries.getOrDefault(lease.destination(), List.of());
        if (sequence < 1 || sequence > stored.size()) {
            return Optional.empty();
        }
        deadLetters.computeIfAbsent(lease.destination(), d -> new HashMap<>()).putIfAbsent(sequence, stage);
        PendingDelivery delivery = stored.get((int) sequence - 1);
        return Optional.of(new Original(delivery.messageId(), delivery.contentType()));
    }

    @Override
    public synchronized Optional<OperatorCommand> peek(Incarnation destination) {
        return Optional.ofNullable(commands.getOrDefault(destination.destination(), new ArrayDeque<>()).peekFirst());
    }

    @Override
    public synchronized void taken(Lease lease) {
        lease.ensureValid();
        Optional<Long> fence = results.fence(lease.destination());
        if (fence.isPresent() && fence.get() > lease.epoch()) {
            throw new LeaseLostException(lease, "a holder with a higher epoch claimed " + lease.destination());
        }
        if (fence.isPresent() && fence.get() == lease.epoch()) {
            Deque<OperatorCommand> waiting = commands.get(lease.destination());
            if (waiting != null) {
                waiting.pollFirst();
            }
        } // a missing fence leaves the command waiting: the leader rewinds first
    }
}
