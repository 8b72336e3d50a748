package org.reseq.egress.fake;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.reseq.egress.leader.Redeliveries;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.lease.Lease;
import org.reseq.model.lease.LeaseLostException;
import org.reseq.model.redis.Incarnation;

/**
 * The operators' redelivery commands in memory, fenced by epoch as the Redis scripts fence them
 * (see {@code RedeliveriesContract}, which runs the same checks against both). Thread-safe: the
 * leader's thread and the test's thread both use it.
 */
public final class InMemoryRedeliveries implements Redeliveries {

    private final Map<String, Deque<String>> queues = new HashMap<>();
    private final Map<String, Long> fences = new HashMap<>();

    /** The admin API queued {@code command}. */
    public synchronized void command(String destination, OperatorCommand command) {
        append(destination, command.encode());
    }

    /** Something queued {@code text}, command or not. */
    public synchronized void append(String destination, String text) {
        queue(destination).addLast(text);
    }

    /** The commands still waiting, oldest first. */
    public synchronized List<String> waiting(String destination) {
        return List.copyOf(queue(destination));
    }

    /** The epoch in the destination's egress fence, empty when there is none. */
    public synchronized Optional<Long> fence(String destination) {
        return Optional.ofNullable(fences.get(destination));
    }

    /** Sets the fence, as a newer leader's claim does. */
    public synchronized void fence(String destination, long epoch) {
        fences.put(destination, epoch);
    }

    @Override
    public synchronized void claim(Lease lease) {
        lease.ensureValid();
        Long fence = fences.get(lease.destination());
        if (fence != null && fence > lease.epoch()) {
            throw new LeaseLostException(lease, "a holder with a higher epoch claimed " + lease.destination());
        }
        fences.put(lease.destination(), lease.epoch());
    }

    @Override
    public synchronized Optional<OperatorCommand> next(Lease lease) {
        claim(lease); // refuses an older holder; a missing or older fence is claimed again, as the script does
        Deque<String> queue = queue(lease.destination());
        while (!queue.isEmpty()) {
            try {
                return Optional.of(OperatorCommand.decode(queue.pollFirst()));
            } catch (IllegalArgumentException e) {
                // not a command: dropped, as the Redis implementation does
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized void putBack(Incarnation destination, OperatorCommand command) {
        queue(destination.destination()).addFirst(command.encode());
    }

    @Override
    public synchronized boolean pending(Incarnation destination) {
        return !queue(destination.destination()).isEmpty();
    }

    private Deque<String> queue(String destination) {
        return queues.computeIfAbsent(destination, d -> new ArrayDeque<>());
    }
}
