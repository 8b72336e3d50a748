package org.reseq.egress.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.reseq.model.redis.Signal;
import org.springframework.data.redis.connection.DefaultMessage;

class ReleasedSignalListenerTests {

    private final LeaderMailboxes mailboxes = new LeaderMailboxes();
    private final ReleasedSignalListener listener = new ReleasedSignalListener(mailboxes);

    @Test
    void aReleasedSignalWakesTheLeaderOfItsDestinationOnly() throws InterruptedException {
        Mailbox orders = mailboxes.open("orders");
        Mailbox audit = mailboxes.open("audit");

        listener.onMessage(message(Signal.released("orders", 42).encode()), null);

        assertThat(orders.await(Duration.ofSeconds(5))).isTrue();
        assertThat(audit.await(Duration.ofMillis(1))).isFalse();
    }

    @Test
    void aMalformedSignalIsIgnored() throws InterruptedException {
        Mailbox orders = mailboxes.open("orders");

        listener.onMessage(message("orders"), null);

        assertThat(orders.await(Duration.ofMillis(1))).isFalse();
    }

    private static DefaultMessage message(String body) {
        return new DefaultMessage("reseq:signal:released".getBytes(StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8));
    }
}
