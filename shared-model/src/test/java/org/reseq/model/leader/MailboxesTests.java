package org.reseq.model.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MailboxesTests {

    private final Mailboxes<String> mailboxes = new Mailboxes<>();

    @Test
    void routesAMessageToTheLeaderOfItsDestination() throws InterruptedException {
        Mailbox<String> orders = mailboxes.open("orders");

        assertThat(mailboxes.route("orders", "done 7")).isTrue();
        assertThat(orders.take(Duration.ZERO)).containsExactly("done 7");
    }

    @Test
    void dropsMessagesForDestinationsThisInstanceDoesNotLead() {
        mailboxes.open("orders");

        assertThat(mailboxes.route("audit", "ingested 3")).isFalse();
    }

    @Test
    void anEndedLeaderDoesNotCloseTheMailboxOfItsSuccessor() throws InterruptedException {
        Mailbox<String> former = mailboxes.open("orders");
        Mailbox<String> current = mailboxes.open("orders");

        mailboxes.close("orders", former);
        mailboxes.route("orders", "changed");

        assertThat(mailboxes.isOpen("orders")).isTrue();
        assertThat(current.take(Duration.ofSeconds(5))).containsExactly("changed");
        assertThat(former.take(Duration.ofMillis(1))).isEmpty();
    }

    @Test
    void aLeaderTakesEveryWaitingMessageAtOnceAndNothingAfterATimeout() throws InterruptedException {
        Mailbox<String> mailbox = mailboxes.open("orders");
        for (int sequence = 1; sequence <= 3; sequence++) {
            mailboxes.route("orders", "done " + sequence);
        }

        assertThat(mailbox.take(Duration.ofMillis(1))).containsExactly("done 1", "done 2", "done 3");
        assertThat(mailbox.take(Duration.ofMillis(1))).isEmpty();
    }

    @Test
    void aNudgeEndsTheWaitWithoutAMessage() throws InterruptedException {
        Mailbox<String> mailbox = mailboxes.open("orders");

        mailbox.nudge();
        long started = System.nanoTime();

        assertThat(mailbox.take(Duration.ofSeconds(5))).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
}
