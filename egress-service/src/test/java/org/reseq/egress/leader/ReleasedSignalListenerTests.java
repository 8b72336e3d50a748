package org.reseq.egress.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.reseq.model.leader.Mailbox;
import org.reseq.model.leader.Mailboxes;
import org.reseq.model.redis.Signal;
import org.springframework.data.redis.connection.DefaultMessage;

class ReleasedSignalListenerTests {

    private final Mailboxes<Wakeup> mailboxes = new Mailboxes<>();
    private final ReleasedSignalListener listener = new ReleasedSignalListener(mailboxes);

    @Test
    void aReleasedSignalWakesTheLeaderOfItsDestinationOnly() throws InterruptedException {
        Mailbox<Wakeup> orders = mailboxes.open("orders");
        Mailbox<Wakeup> audit = mailboxes.open("audit");

        listener.onMessage(message(Signal.released("orders", 42).encode()), null);

        assertThat(orders.take(Duration.ofSeconds(5))).containsExactly(Wakeup.RELEASED);
        assertThat(audit.take(Duration.ofMillis(1))).isEmpty();
    }

    @Test
    void aMalformedSignalIsIgnored() throws InterruptedException {
        Mailbox<Wakeup> orders = mailboxes.open("orders");

        listener.onMessage(message("orders"), null);

        assertThat(orders.take(Duration.ofMillis(1))).isEmpty();
    }

    private static DefaultMessage message(String body) {
        return new DefaultMessage("reseq:signal:released".getBytes(StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8));
    }
}
