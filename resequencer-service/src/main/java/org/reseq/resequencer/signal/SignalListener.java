package org.reseq.resequencer.signal;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.reseq.model.leader.Mailboxes;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.Signal;
import org.reseq.resequencer.lead.Wakeup;
import org.reseq.resequencer.lead.Wakeup.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;

/**
 * Turns pub/sub messages into wake-ups for the leaders. Signals for destinations this instance
 * does not lead, and anything that is not a signal, are dropped: signals are hints only.
 *
 * <p>Runs on the listener container's thread; it only decodes and enqueues, it never blocks.
 */
final class SignalListener implements MessageListener {

    private static final Logger log = LoggerFactory.getLogger(SignalListener.class);

    private final Map<String, Kind> kindsByChannel;
    private final Mailboxes<Wakeup> mailboxes;

    SignalListener(RedisKeys keys, Mailboxes<Wakeup> mailboxes) {
        this.kindsByChannel = Map.of(
                keys.ingestedChannel(), Kind.INGESTED,
                keys.doneChannel(), Kind.DONE,
                keys.deliveredChannel(), Kind.DELIVERED);
        this.mailboxes = mailboxes;
    }

    /** The channels this listener understands. */
    Iterable<String> channels() {
        return kindsByChannel.keySet();
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        String channel = new String(message.getChannel(), StandardCharsets.UTF_8);
        String body = new String(message.getBody(), StandardCharsets.UTF_8);
        Kind kind = kindsByChannel.get(channel);
        if (kind == null) {
            return;
        }
        Signal signal;
        try {
            signal = Signal.decode(body);
        } catch (IllegalArgumentException e) {
            log.debug("Ignoring a malformed signal on {}: {}", channel, body);
            return;
        }
        mailboxes.route(signal.destination(), new Wakeup(kind, signal));
    }
}
