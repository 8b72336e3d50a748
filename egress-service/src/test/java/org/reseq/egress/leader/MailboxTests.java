package org.reseq.egress.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MailboxTests {

    @Test
    void aWakeUpBeforeTheWaitIsKept() throws InterruptedException {
        Mailbox mailbox = new Mailbox();

        mailbox.wake();

        assertThat(mailbox.await(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void manyWakeUpsCountAsOne() throws InterruptedException {
        Mailbox mailbox = new Mailbox();

        mailbox.wake();
        mailbox.wake();
        mailbox.wake();

        assertThat(mailbox.await(Duration.ofSeconds(5))).isTrue();
        assertThat(mailbox.await(Duration.ofMillis(1))).isFalse();
    }

    @Test
    void onlyTheCurrentLeadersMailboxIsWoken() throws InterruptedException {
        LeaderMailboxes mailboxes = new LeaderMailboxes();
        Mailbox former = mailboxes.open("orders");
        Mailbox current = mailboxes.open("orders");
        mailboxes.close("orders", former);

        mailboxes.wake("orders");
        mailboxes.wake("unknown");

        assertThat(current.await(Duration.ofSeconds(5))).isTrue();
        assertThat(former.await(Duration.ofMillis(1))).isFalse();
    }
}
