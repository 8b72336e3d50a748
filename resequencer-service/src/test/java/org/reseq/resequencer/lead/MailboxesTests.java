package org.reseq.resequencer.lead;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.reseq.model.redis.Signal;
import org.reseq.resequencer.lead.Wakeup.Kind;

class MailboxesTests {

    private final Mailboxes mailboxes = new Mailboxes();

    @Test
    void routesAWakeUpToTheLeaderOfItsDestination() throws InterruptedException {
        Mailbox orders = mailboxes.open("orders");
        Wakeup wakeup = new Wakeup(Kind.DONE, Signal.done("orders", 7, true));

        assertThat(mailboxes.route(wakeup)).isTrue();
        assertThat(orders.take(Duration.ZERO)).containsExactly(wakeup);
    }

    @Test
    void dropsWakeUpsForDestinationsThisInstanceDoesNotLead() {
        mailboxes.open("orders");

        assertThat(mailboxes.route(new Wakeup(Kind.INGESTED, Signal.ingested("audit", 3)))).isFalse();
    }

    @Test
    void anEndedLeaderDoesNotCloseTheMailboxOfItsSuccessor() {
        Mailbox former = mailboxes.open("orders");
        mailboxes.open("orders");

        mailboxes.close("orders", former);

        assertThat(mailboxes.isOpen("orders")).isTrue();
    }

    @Test
    void aLeaderTakesEveryWaitingWakeUpAtOnceAndNothingAfterATimeout() throws InterruptedException {
        Mailbox mailbox = mailboxes.open("orders");
        for (long sequence = 1; sequence <= 3; sequence++) {
            mailboxes.route(new Wakeup(Kind.DONE, Signal.done("orders", sequence, true)));
        }

        assertThat(mailbox.take(Duration.ofMillis(1))).hasSize(3);
        assertThat(mailbox.take(Duration.ofMillis(1))).isEmpty();
    }
}
