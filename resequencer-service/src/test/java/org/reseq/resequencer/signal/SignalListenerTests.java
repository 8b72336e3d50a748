package org.reseq.resequencer.signal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.Signal;
import org.reseq.resequencer.lead.Mailboxes;
import org.reseq.resequencer.lead.Wakeup;
import org.reseq.resequencer.lead.Wakeup.Kind;
import org.springframework.data.redis.connection.DefaultMessage;

class SignalListenerTests {

    private final RedisKeys keys = new RedisKeys("t:");
    private final List<Wakeup> routed = new ArrayList<>();
    private final SignalListener listener = new SignalListener(keys, new Mailboxes() {
        @Override
        public boolean route(Wakeup wakeup) {
            return routed.add(wakeup);
        }
    });

    @Test
    void tagsEachSignalWithTheChannelItCameOn() {
        publish(keys.ingestedChannel(), Signal.ingested("orders", 10).encode());
        publish(keys.doneChannel(), Signal.done("orders", 4, false).encode());
        publish(keys.deliveredChannel(), Signal.delivered("orders", 2).encode());

        assertThat(routed).containsExactly(
                new Wakeup(Kind.INGESTED, Signal.ingested("orders", 10)),
                new Wakeup(Kind.DONE, Signal.done("orders", 4, false)),
                new Wakeup(Kind.DELIVERED, Signal.delivered("orders", 2)));
    }

    @Test
    void ignoresMalformedSignalsAndOtherChannels() {
        publish(keys.doneChannel(), "not a signal");
        publish(keys.doneChannel(), "orders:seven");
        publish(keys.releasedChannel(), Signal.released("orders", 3).encode());

        assertThat(routed).isEmpty();
    }

    private void publish(String channel, String body) {
        listener.onMessage(new DefaultMessage(channel.getBytes(StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8)), null);
    }
}
