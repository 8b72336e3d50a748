package org.reseq.egress.leader;

import java.nio.charset.StandardCharsets;
import org.reseq.model.leader.Mailboxes;
import org.reseq.model.redis.RedisKeys;
import org.reseq.model.redis.Signal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Wakes the leader of a destination when the resequencer released a batch for it. Signals are
 * hints: a lost one costs one poll interval, never a message.
 *
 * <p>Threads: the listener container calls {@link #onMessage} on its subscription thread; it
 * only touches the thread-safe {@link Mailboxes}.
 */
@Configuration(proxyBeanMethods = false)
class ReleasedSignalListener implements MessageListener {

    private static final Logger log = LoggerFactory.getLogger(ReleasedSignalListener.class);

    private final Mailboxes<Wakeup> mailboxes;

    ReleasedSignalListener(Mailboxes<Wakeup> mailboxes) {
        this.mailboxes = mailboxes;
    }

    @Bean
    RedisMessageListenerContainer releasedSignalContainer(RedisConnectionFactory connectionFactory, RedisKeys keys,
                                                          EgressLeaseKeeper leases) {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connectionFactory);
        // waking a leader never blocks: no thread per message needed
        container.setTaskExecutor(new SyncTaskExecutor());
        container.addMessageListener(this, new ChannelTopic(keys.releasedChannel()));
        // the same subscription tells the lease keeper about created and deleted destinations, and
        // the leader of a destination changed through the admin API to read it again now
        container.addMessageListener((message, pattern) -> {
            leases.tickSoon();
            mailboxes.route(new String(message.getBody(), StandardCharsets.UTF_8), Wakeup.CHANGED);
        }, new ChannelTopic(keys.destinationsChannel()));
        return container;
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        String text = new String(message.getBody(), StandardCharsets.UTF_8);
        try {
            mailboxes.route(Signal.decode(text).destination(), Wakeup.RELEASED);
        } catch (IllegalArgumentException e) {
            log.debug("Ignoring a malformed released signal: {}", text);
        }
    }
}
