package org.reseq.ingress.admin;

import java.util.Objects;
import org.reseq.model.failure.OperatorCommand;
import org.reseq.model.redis.Incarnation;
import org.reseq.model.redis.RedisKeys;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records an operator action and hands its command to the destination's leader: RETRY and SKIP to
 * the resequencer ({@code commands:{d}}), REDELIVER to egress ({@code redeliver:{d}}), each an
 * RPUSH of {@link OperatorCommand#encode()} that the leader LPOPs on its next poll.
 *
 * <p>The RPUSH runs inside the transaction that inserts the record, after the insert: a command
 * Redis refused is not recorded as asked for (the transaction rolls back and the operator gets
 * 503). The reverse, a queued command whose record then fails to commit, needs the database to fail
 * between two statements, and the leader ignores a command that no longer applies anyway.
 */
@Component
class OperatorCommands {

    private final OperatorActions actions;
    private final StringRedisTemplate redis;
    private final RedisKeys keys;
    private final TransactionTemplate transactions;
    private final DestinationChangeSignals changes;

    OperatorCommands(OperatorActions actions, StringRedisTemplate redis, RedisKeys keys,
            TransactionTemplate transactions, DestinationChangeSignals changes) {
        this.actions = actions;
        this.redis = redis;
        this.keys = keys;
        this.transactions = transactions;
        this.changes = changes;
    }

    /**
     * Records the command as an action named after it, then queues it for the leader in charge:
     * RETRY and SKIP for the resequencer's, REDELIVER for egress's.
     */
    OperatorActions.Action queue(Incarnation incarnation, OperatorCommand command, String actor, String detail) {
        return queue(incarnation, command, actor, detail, switch (command.action()) {
            case RETRY, SKIP -> keys.commands(incarnation);
            case REDELIVER -> keys.redeliveries(incarnation);
        });
    }

    /** Records the command, then queues it for egress's leader: a SKIP or RETRY of the head egress holds. */
    OperatorActions.Action queueForEgress(Incarnation incarnation, OperatorCommand command, String actor,
            String detail) {
        return queue(incarnation, command, actor, detail, keys.redeliveries(incarnation));
    }

    private OperatorActions.Action queue(Incarnation incarnation, OperatorCommand command, String actor,
            String detail, String list) {
        String destination = incarnation.destination();
        OperatorActions.Action recorded = Objects.requireNonNull(transactions.execute(status -> {
            OperatorActions.Action action = actions.record(destination, command.action().name(),
                    command.sequence(), actor, detail);
            redis.opsForList().rightPush(list, command.encode());
            return action;
        }));
        changes.changed(destination); // its leaders take the command now, not at their next poll
        return recorded;
    }
}
