package org.reseq.egress.leader;

import org.reseq.model.leader.Mailboxes;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The mailboxes of this instance's egress leaders, shared by the leaders and the signal listener. */
@Configuration(proxyBeanMethods = false)
class MailboxConfiguration {

    @Bean
    Mailboxes<Wakeup> egressMailboxes() {
        return new Mailboxes<>();
    }
}
