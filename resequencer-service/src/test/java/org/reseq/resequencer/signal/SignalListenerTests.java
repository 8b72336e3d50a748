package org.reseq.resequencer.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.reseq.model.leader.Mailbox;
import org.reseq.model.leader.Mailboxes;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.Signal;
import org.reseq.resequencer.lead.Wakeup;
import org.reseq.resequencer.lead.Wakeup.Kind;
import org.springframework.data.redis.connection.DefaultMessage;

class SignalListenerTests {

    private final RedisKeys keys = new RedisKeys("t:");
    private final Mailboxes<Wakeup> mailboxes = new Mailboxes<>();
    private final Mailbox<Wakeup> orders = mailboxes.open("orders");
    private final SignalListener listener = new SignalListener(keys, mailboxes);

    @Test
    void tagsEachSignalWithTheChannelItCameOn() throws InterruptedException {
        publish(keys.ingestedChannel(), Signal.ingested("orders", 10).encode());
        publish(keys.doneChannel(), Signal.done("orders", 4, false).encode());
        publish(keys.deliveredChannel(), Signal.delivered("orders", 2).encode());

        assertThat(orders.take(Duration.ZERO)).containsExactly(
                new Wakeup(Kind.INGESTED, Signal.ingested("orders", 10)),
                new Wakeup(Kind.DONE, Signal.done("orders", 4, false)),
                new Wakeup(Kind.DELIVERED, Signal.delivered("orders", 2)));
    }

    @Test
    void ignoresMalformedSignalsAndOtherChannels() throws InterruptedException {
        publish(keys.doneChannel(), "not a signal");
        publish(keys.doneChannel(), "orders:seven");
        publish(keys.releasedChannel(), Signal.released("orders", 3).encode());

        assertThat(orders.take(Duration.ZERO)).isEmpty();
    }

    private void publish(String channel, String body) {
        listener.onMessage(new DefaultMessage(channel.getBytes(StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8)), null);
    }
}
